import type { Registry } from 'prom-client';
import { KENOS_METRICS, OVERFLOW_LABEL_VALUE } from './catalog.js';
import { LabeledHistogram } from './labeled-histogram.js';

/** One finished outgoing HTTP request (one try: a retried request is recorded once per try). */
export interface HttpClientRequestObservation {
  /** Request method; anything outside the well-known set is recorded as `_OTHER`. */
  method: string;
  /** The peer, `host:port` (OpenTelemetry `server.address`), never a path. */
  serverAddress: string;
  /** Response status code; `undefined` when no response arrived. */
  statusCode: number | undefined;
  /**
   * Why the request failed (OpenTelemetry `error.type`): e.g. `timeout`, `connection`, `aborted`,
   * or the status code for a 4xx/5xx answer; `undefined` or `''` for a success.
   */
  errorType?: string | undefined;
  /** Duration in seconds. */
  durationSeconds: number;
}

/** One finished outgoing gRPC call (one try). */
export interface RpcClientCallObservation {
  /** Fully qualified service name, e.g. `kenos.example.v1.Greeter`. */
  service: string;
  /** Method name, e.g. `SayHello`. */
  method: string;
  /** gRPC status code (0 = OK). */
  grpcStatusCode: number;
  /** Duration in seconds. */
  durationSeconds: number;
}

/** The client metrics of {@link KenosMetrics}. */
export interface ClientMetrics {
  /** Records one outgoing HTTP request in `http_client_request_duration_seconds`. */
  observeHttpClientRequest(observation: HttpClientRequestObservation): void;
  /** Records one outgoing gRPC call in `rpc_client_call_duration_seconds`. */
  observeRpcClientCall(observation: RpcClientCallObservation): void;
}

/** Creates the HTTP and gRPC client histograms on `registry`. */
export function createClientMetrics(
  registry: Registry,
  normalizeMethod: (method: string) => string,
  allowed: {
    serverAddress: (value: string) => boolean;
    rpcMethod: (value: string) => boolean;
  },
): ClientMetrics {
  const m = KENOS_METRICS;
  const http = new LabeledHistogram({
    name: m.httpClientDuration.name,
    help: m.httpClientDuration.help,
    labelNames: m.httpClientDuration.labels,
    buckets: m.httpClientDuration.buckets,
    registers: [registry],
  });
  const rpc = new LabeledHistogram({
    name: m.rpcClientDuration.name,
    help: m.rpcClientDuration.help,
    labelNames: m.rpcClientDuration.labels,
    buckets: m.rpcClientDuration.buckets,
    registers: [registry],
  });
  return {
    observeHttpClientRequest(o) {
      http.observe(
        [
          normalizeMethod(o.method),
          allowed.serverAddress(o.serverAddress)
            ? o.serverAddress
            : OVERFLOW_LABEL_VALUE,
          o.statusCode === undefined ? '' : String(o.statusCode),
          o.errorType ?? '',
        ],
        o.durationSeconds,
      );
    },
    observeRpcClientCall(o) {
      const known = allowed.rpcMethod(`${o.service}/${o.method}`);
      rpc.observe(
        [
          known ? o.service : OVERFLOW_LABEL_VALUE,
          known ? o.method : OVERFLOW_LABEL_VALUE,
          String(o.grpcStatusCode),
        ],
        o.durationSeconds,
      );
    },
  };
}
