/** Messages between the bench process and the load driver (a child process running autocannon). */

export interface RequestVariant {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** One stream of requests on its own connections (an autocannon instance). */
export interface StreamSpec {
  name: string;
  connections: number;
  /** Each request is one of these: in turn ('cycle') or at random ('random'). */
  variants: RequestVariant[];
  pick: 'cycle' | 'random';
  /** GraphQL error codes that are an expected outcome of this stream (e.g. CONFLICT for a raced restore). */
  expectedErrorCodes: string[];
}

export interface DriveJob {
  url: string;
  seconds: number;
  streams: StreamSpec[];
}

export interface LatencySummary {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface StreamResult {
  name: string;
  seconds: number;
  /** Responses received. */
  responses: number;
  /** 2xx responses without GraphQL errors. */
  ok: number;
  latency: LatencySummary;
  /** Response count per HTTP status. */
  statuses: Record<string, number>;
  /** Response count per GraphQL error code (extensions.code); a response with errors of several codes counts once per code. */
  errorCodes: Record<string, number>;
  /** Responses whose errors all have expected codes. */
  expectedErrors: number;
  /** Responses with any other error, or a non-2xx status. */
  unexpectedErrors: number;
  /** Connection errors and timeouts seen by autocannon. */
  transportErrors: number;
  timeouts: number;
  /** The first unexpected error message (for the report; responses never contain secrets in errors). */
  firstUnexpected: string | null;
}

export type ToDriver = { type: 'run'; id: number; job: DriveJob } | { type: 'exit' };
export type FromDriver =
  | { type: 'ready' }
  | { type: 'result'; id: number; results: StreamResult[] }
  | { type: 'failed'; id: number; message: string };
