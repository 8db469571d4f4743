/**
 * @kenos/telemetry: Prometheus RED metrics and OpenTelemetry tracing, identical in every service.
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
  RUNTIME_METRICS,
  SERVICE_LABEL,
  UNMATCHED_ROUTE,
} from './catalog.js';
export type { MetricSpec, MetricType } from './catalog.js';
export { createMetrics, kenosSdkVersion, normalizeHttpMethod } from './createMetrics.js';
export type {
  EndJob,
  HttpRequestObservation,
  JobKind,
  JobResult,
  KenosMetrics,
  MetricsOptions,
  RpcCallObservation,
} from './createMetrics.js';
export { TelemetryError } from './telemetry-error.js';
export type { TelemetryErrorCode } from './telemetry-error.js';
export { getTelemetryDiagnostics, installDiagnostics as setTelemetryLogger, stderrTelemetryLogger } from './diagnostics.js';
export type { TelemetryDiagnosticsStats, TelemetryLogger } from './diagnostics.js';
export { samplerFromEnv } from './sampler.js';
export type { EnvRecord } from './sampler.js';
export { getTracing, otlpTracesUrlFromEnv, shutdownTracing, startTracing, tracingFlusher } from './startTracing.js';
export type { Tracing, TracingOptions } from './startTracing.js';
export { currentTraceIds, extractContext, injectContext, withSpan } from './spans.js';
export type { Carrier, KenosSpanKind, TraceIds, WithSpanOptions } from './spans.js';
export { DEFAULT_RUNBOOK_BASE_URL, ERROR_RATIO_WINDOWS, buildAlertRules } from './buildAlertRules.js';
export type { AlertRulesOptions, AlertingRule, PrometheusRuleFile, RecordingRule } from './buildAlertRules.js';
export { buildDashboard, dashboardQueries } from './buildDashboard.js';
export type { DashboardOptions, DashboardPanel, DashboardTarget, GrafanaDashboard } from './buildDashboard.js';
export { resolveDashboardQuery } from './resolveDashboardQuery.js';
export type { DashboardVariables } from './resolveDashboardQuery.js';
export { buildPodMonitor } from './buildPodMonitor.js';
export type { PodMonitorManifest, PodMonitorOptions } from './buildPodMonitor.js';
export { renderObservabilityAssets } from './renderObservabilityAssets.js';
export type { ObservabilityAssetsOptions } from './renderObservabilityAssets.js';
export { toYaml } from './toYaml.js';
export type { YamlValue } from './toYaml.js';
export { instrumentHttpRequest, startRpcServerCall } from './instrument.js';
export type { HttpInstrumentationOptions, HttpRequestResult, RpcServerCall } from './instrument.js';
export { disableOutgoingPropagation, enableOutgoingPropagation } from './outgoingPropagation.js';
