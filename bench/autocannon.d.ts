// The part of autocannon's programmatic API the load bench uses (the package ships no types).
declare module 'autocannon' {
  interface Options { url: string, connections: number, duration: number, headers?: Record<string, string> }
  interface Histogram { average: number, p50: number, p99: number, max: number }
  interface Result { 'requests': Histogram, 'latency': Histogram, 'non2xx': number, 'errors': number, 'timeouts': number, '2xx': number }
  export default function autocannon(opts: Options): Promise<Result>
}
