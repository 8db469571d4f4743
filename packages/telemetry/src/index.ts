/**
 * @kenos/telemetry: Prometheus RED metrics and OpenTelemetry tracing, identical in every service.
 *
 * This entry point is the runtime API (metrics, tracing, diagnostics, instrumentation); the
 * build-time asset generators are `@kenos/telemetry/assets`.
 *
 * Export every public symbol by name (no `export *`); each export is part of
 * the API report in `api/telemetry.api.md`.
 *
 * @packageDocumentation
 */
export {
  API_LATENCY_BUCKETS,
  GRPC_SERVER_ERROR_CODES,
  JOB_DURATION_BUCKETS,
  KENOS_METRICS,
  OTHER_HTTP_METHOD,
  OVERFLOW_LABEL_VALUE,
  QUEUE_JOB_STATES,
  RUNTIME_METRICS,
  SERVICE_LABEL,
  UNMATCHED_ROUTE,
} from './catalog.js';
export type { MetricSpec, MetricType, QueueJobState } from './catalog.js';
export type {
  ClientMetrics,
  HttpClientRequestObservation,
  RpcClientCallObservation,
} from './client-metrics.js';
export { getProcessMetrics, setProcessMetrics } from './process-metrics.js';
export type {
  QueueDepth,
  QueueDepthReader,
  QueueMetrics,
} from './queue-metrics.js';
export { createMetrics } from './create-metrics.js';
export type {
  EndJob,
  HttpRequestObservation,
  JobKind,
  JobResult,
  KenosMetrics,
  MetricsOptions,
  RpcCallObservation,
} from './create-metrics.js';
export { TelemetryError } from './telemetry-error.js';
export type { TelemetryErrorCode } from './telemetry-error.js';
export {
  getTelemetryDiagnostics,
  setTelemetryLogger,
  stderrTelemetryLogger,
} from './diagnostics.js';
export type {
  TelemetryDiagnosticsStats,
  TelemetryLogger,
} from './diagnostics.js';
export { samplerFromEnv } from './sampler.js';
export type { EnvRecord } from './sampler.js';
export {
  getTracing,
  otlpTracesUrlFromEnv,
  shutdownTracing,
  startTracing,
  tracingFlusher,
} from './start-tracing.js';
export type { Tracing, TracingOptions } from './start-tracing.js';
export {
  currentTraceIds,
  extractContext,
  injectContext,
  withSpan,
} from './spans.js';
export type {
  Carrier,
  KenosSpanKind,
  TraceIds,
  WithSpanOptions,
} from './spans.js';
export { instrumentHttpRequest, startRpcServerCall } from './instrument.js';
export type {
  HttpInstrumentationOptions,
  HttpRequestResult,
  RpcServerCall,
} from './instrument.js';
export {
  disableOutgoingPropagation,
  enableOutgoingPropagation,
} from './outgoing-propagation.js';
