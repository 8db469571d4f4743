/**
 * `@kenos/telemetry/assets`: the build-time generators of the observability assets (Grafana
 * dashboard, Prometheus alerting and recording rules, PodMonitor) and the YAML writer they use.
 * Nothing here runs inside a service: `kenos observability write` and the package's asset
 * script import it; the runtime API is the package's main entry point.
 *
 * Export every public symbol by name (no `export *`); each export is part of the API report in
 * `api/telemetry-assets.api.md`.
 *
 * @packageDocumentation
 */
export {
  DEFAULT_RUNBOOK_BASE_URL,
  ERROR_RATIO_WINDOWS,
  buildAlertRules,
} from './build-alert-rules.js';
export type {
  AlertRulesOptions,
  AlertingRule,
  PrometheusRuleFile,
  RecordingRule,
} from './build-alert-rules.js';
export { buildDashboard, dashboardQueries } from './build-dashboard.js';
export type {
  DashboardOptions,
  DashboardPanel,
  DashboardTarget,
  GrafanaDashboard,
} from './build-dashboard.js';
export { resolveDashboardQuery } from './resolve-dashboard-query.js';
export type { DashboardVariables } from './resolve-dashboard-query.js';
export { buildPodMonitor } from './build-pod-monitor.js';
export type {
  PodMonitorManifest,
  PodMonitorOptions,
} from './build-pod-monitor.js';
export { renderObservabilityAssets } from './render-observability-assets.js';
export type { ObservabilityAssetsOptions } from './render-observability-assets.js';
export { toYaml } from './to-yaml.js';
export type { YamlValue } from './to-yaml.js';
