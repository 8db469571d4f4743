import {
  GRPC_SERVER_ERROR_CODES,
  KENOS_METRICS,
  RUNTIME_METRICS,
} from './catalog.js';

/** Metric names of the catalog, as used in generated PromQL. */
export const M = {
  httpCount: `${KENOS_METRICS.httpServerDuration.name}_count`,
  httpBucket: `${KENOS_METRICS.httpServerDuration.name}_bucket`,
  rpcCount: `${KENOS_METRICS.rpcServerDuration.name}_count`,
  rpcBucket: `${KENOS_METRICS.rpcServerDuration.name}_bucket`,
  jobsStarted: KENOS_METRICS.jobsStarted.name,
  jobsFinished: KENOS_METRICS.jobsFinished.name,
  jobDurationBucket: `${KENOS_METRICS.jobDuration.name}_bucket`,
  jobsInFlight: KENOS_METRICS.jobsInFlight.name,
  jobLastSuccess: KENOS_METRICS.jobLastSuccess.name,
  jobQueueLatencyBucket: `${KENOS_METRICS.jobQueueLatency.name}_bucket`,
  queueJobs: KENOS_METRICS.queueJobs.name,
  httpClientCount: `${KENOS_METRICS.httpClientDuration.name}_count`,
  httpClientBucket: `${KENOS_METRICS.httpClientDuration.name}_bucket`,
  rpcClientCount: `${KENOS_METRICS.rpcClientDuration.name}_count`,
  rpcClientBucket: `${KENOS_METRICS.rpcClientDuration.name}_bucket`,
  buildInfo: KENOS_METRICS.buildInfo.name,
  ...RUNTIME_METRICS,
} as const;

/** Matcher of HTTP server errors. */
export const HTTP_5XX = 'http_response_status_code=~"5.."';
/** Matcher of gRPC server errors. */
export const GRPC_ERRORS = `rpc_grpc_status_code=~"${GRPC_SERVER_ERROR_CODES.join('|')}"`;

/** gRPC RESOURCE_EXHAUSTED: the peer sheds load or a quota ran out, counted as a dependency error. */
const GRPC_RESOURCE_EXHAUSTED = 8;

/**
 * Matcher of failed outgoing HTTP tries that count against the dependency: a 5xx answer, 429 (the
 * peer sheds load), `timeout` and `connection`. Not counted: success (`''`), 4xx other than 429
 * (the caller's request was wrong) and `aborted` (the caller gave up, e.g. its own request ended).
 */
export const HTTP_DEPENDENCY_ERRORS =
  'error_type=~"5..|429|timeout|connection"';

/**
 * Matcher of failed outgoing gRPC tries that count against the dependency: the server error codes
 * plus RESOURCE_EXHAUSTED (8). CANCELLED (the caller gave up) and the client errors do not count.
 */
export const GRPC_DEPENDENCY_ERRORS = `rpc_grpc_status_code=~"${[
  ...GRPC_SERVER_ERROR_CODES,
  GRPC_RESOURCE_EXHAUSTED,
]
  .sort((a, b) => a - b)
  .join('|')}"`;

/** Joins label matchers into a selector (`{a="b",c=~"d"}`), or `''` when there are none. */
export function sel(...matchers: (string | undefined)[]): string {
  const list = matchers.filter((m): m is string => m !== undefined && m !== '');
  return list.length === 0 ? '' : `{${list.join(', ')}}`;
}

/** Escapes a value for a PromQL double-quoted string. */
export function quote(value: string): string {
  return JSON.stringify(value);
}
