import { Transform, type TransformCallback } from 'node:stream'

export class RefusedDumpError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RefusedDumpError'
  }
}

const COPY_START = /^COPY (\S+) .*FROM stdin;$/
// Ownership, privileges and --clean drops are what make a plain dump fail in a fresh scratch
// database under another role (pg_restore --no-owner --no-privileges does the same for archives);
// role statements (pg_dumpall's, or a tampered file's) are dropped too. The restoring role's lack of
// power is the real defence (restore-role.ts): a statement split over lines still runs, and fails.
const DROPPED = /^(ALTER .* OWNER TO .*;|GRANT .*;|REVOKE .*;|ALTER DEFAULT PRIVILEGES .*;|SET SESSION AUTHORIZATION .*;|RESET SESSION AUTHORIZATION;|(CREATE|ALTER) (ROLE|USER|GROUP) .*;|(SET|RESET) ROLE\b.*;|DROP .*;|\\(un)?restrict \S+)\r?$/
const OTHER_DATABASE = /^(CREATE|ALTER|COMMENT ON|SECURITY LABEL ON) DATABASE /

/**
 * Feeds a plain pg_dump script to psql for a restore test, line by line on raw bytes (any encoding),
 * never holding more than a line. It opens with `\restrict <key>` so psql refuses every backslash
 * command in the file (`\connect`, `\!`): a restore test must not run what a tampered file asks for.
 * Outside COPY data it blanks ownership/privilege lines and refuses dumps made with --create, which
 * would act on the original database rather than the scratch one.
 */
export class PlainDumpFilter extends Transform {
  private carry: Buffer = Buffer.alloc(0)
  private inCopy = false

  constructor(restrictKey: string, private readonly onTable: (name: string) => void) {
    super()
    this.push(`\\restrict ${restrictKey}\n`)
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      const buf = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk
      const out: Buffer[] = []
      let start = 0
      for (let nl = buf.indexOf(0x0a, start); nl !== -1; nl = buf.indexOf(0x0a, start)) {
        out.push(this.line(buf.subarray(start, nl + 1)))
        start = nl + 1
      }
      this.carry = Buffer.from(buf.subarray(start))
      done(null, Buffer.concat(out))
    } catch (err) {
      done(err as Error)
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      done(null, this.carry.length ? this.line(this.carry) : undefined)
    } catch (err) {
      done(err as Error)
    }
  }

  private line(line: Buffer): Buffer {
    if (this.inCopy) {
      // Only "\." (with its line end) closes COPY data; data lines are passed on undecoded.
      if (line[0] === 0x5c && line[1] === 0x2e && line.length <= 4) this.inCopy = false
      return line
    }
    const text = line.toString('latin1').replace(/\n$/, '')
    const copy = COPY_START.exec(text)
    if (copy) {
      this.inCopy = true
      this.onTable(copy[1])
      return line
    }
    if (OTHER_DATABASE.test(text)) {
      throw new RefusedDumpError('the dump was made with pg_dump --create: it acts on its original database by name, so it is not restore-tested into a scratch one')
    }
    return DROPPED.test(text) ? NEWLINE : line
  }
}

const NEWLINE = Buffer.from('\n')
