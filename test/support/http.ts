/** Response bodies in tests are checked by assertions, not by the type system. */
export const json = (res: Response): Promise<any> => res.json()

/** Polls GET /api/jobs/:id until the job has ended (succeeded, failed or interrupted) and returns it with its log. */
export async function waitForJob(request: (path: string, init: { cookie: string }) => Promise<Response>, cookie: string, jobId: number, timeoutMs = 120_000): Promise<any> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const job = await json(await request(`/api/jobs/${jobId}`, { cookie }))
    if (['succeeded', 'failed', 'interrupted'].includes(job.status)) return job
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status} after ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 100))
  }
}
