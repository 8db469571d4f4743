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
} from './buildAlertRules.js';
export type {
  AlertRulesOptions,
  AlertingRule,
  PrometheusRuleFile,
  RecordingRule,
} from './buildAlertRules.js';
export { buildDashboard, dashboardQueries } from './buildDashboard.js';
export type {
  DashboardOptions,
  DashboardPanel,
  DashboardTarget,
  GrafanaDashboard,
} from './buildDashboard.js';
export { resolveDashboardQuery } from './resolveDashboardQuery.js';
export type { DashboardVariables } from './resolveDashboardQuery.js';
export { buildPodMonitor } from './buildPodMonitor.js';
export type {
  PodMonitorManifest,
  PodMonitorOptions,
} from './buildPodMonitor.js';
export { renderObservabilityAssets } from './renderObservabilityAssets.js';
export type { ObservabilityAssetsOptions } from './renderObservabilityAssets.js';
export { toYaml } from './toYaml.js';
export type { YamlValue } from './toYaml.js';
