// The part of autocannon's API that bench/load.ts uses (the package ships no types).
declare module 'autocannon' {
  /** One request as autocannon builds it: setupRequest may change it (its headers are its own). */
  export interface Request {
    method: string;
    path: string;
    headers: Record<string, string>;
    body: string | Buffer;
  }
  export interface Options {
    url: string;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    connections?: number;
    duration?: number;
    amount?: number;
    /** Seconds before a request counts as timed out. */
    timeout?: number;
    /** The requests made in turn, each built by setupRequest when given. */
    requests?: { setupRequest?: (request: Request, context: object) => Request }[];
  }
  interface Histogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    p50: number;
    p90: number;
    p97_5: number;
    p99: number;
  }
  export interface Result {
    latency: Histogram;
    requests: Histogram & { total: number };
    errors: number;
    timeouts: number;
    non2xx: number;
    '2xx': number;
    duration: number;
  }
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
