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
  buildInfo: KENOS_METRICS.buildInfo.name,
  ...RUNTIME_METRICS,
} as const;

/** Matcher of HTTP server errors. */
export const HTTP_5XX = 'http_response_status_code=~"5.."';
/** Matcher of gRPC server errors. */
export const GRPC_ERRORS = `rpc_grpc_status_code=~"${GRPC_SERVER_ERROR_CODES.join('|')}"`;

/** Joins label matchers into a selector (`{a="b",c=~"d"}`), or `''` when there are none. */
export function sel(...matchers: (string | undefined)[]): string {
  const list = matchers.filter((m): m is string => m !== undefined && m !== '');
  return list.length === 0 ? '' : `{${list.join(', ')}}`;
}

/** Escapes a value for a PromQL double-quoted string. */
export function quote(value: string): string {
  return JSON.stringify(value);
}
