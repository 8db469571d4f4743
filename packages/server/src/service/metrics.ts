import type { IncomingMessage, ServerResponse } from 'node:http';

/** Route label for requests that matched no route (keeps label cardinality bounded). */
export const UNMATCHED_ROUTE = '__unmatched__';

/** The metrics seam: RED metrics of HTTP requests, gRPC calls and jobs. */
export interface MetricsSeam {
  observeHttpRequest(o: { method: string; route: string; statusCode: number; durationSeconds: number }): void;
  observeRpcCall(o: { service: string; method: string; grpcStatusCode: number; durationSeconds: number }): void;
  observeJob(o: { kind: 'worker' | 'batch'; name: string; outcome: 'success' | 'failure' | 'aborted'; durationSeconds: number }): void;
  /** Serves the Prometheus text format on the admin port. */
  metricsHandler(req: IncomingMessage, res: ServerResponse): void;
}

/** Interim metrics used until `@kenos/telemetry` is wired in: counts only, text format. */
export function createMetricsSeam(): MetricsSeam {
  const counters = new Map<string, number>();
  const inc = (key: string): void => void counters.set(key, (counters.get(key) ?? 0) + 1);
  return {
    observeHttpRequest: (o) =>
      inc(`http_server_requests_total{http_request_method="${o.method}",http_route="${o.route}",http_response_status_code="${o.statusCode}"}`),
    observeRpcCall: (o) =>
      inc(`rpc_server_calls_total{rpc_service="${o.service}",rpc_method="${o.method}",rpc_grpc_status_code="${o.grpcStatusCode}"}`),
    observeJob: (o) => inc(`kenos_jobs_total{kind="${o.kind}",name="${o.name}",outcome="${o.outcome}"}`),
    metricsHandler: (_req, res) => {
      const lines = [...counters].map(([k, v]) => `${k} ${v}`);
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(lines.join('\n') + '\n');
    },
  };
}
