/** Values for the Grafana variables of a dashboard query; see {@link resolveDashboardQuery}. */
export interface DashboardVariables {
  /** Regular expression for `$service` (the queries match it with `=~`). Default `'.*'`. */
  service?: string;
  /** Regular expression for `$namespace` (matched with `=~`). Default `'.*'` (Grafana's "All"). */
  namespace?: string;
  /** Range for `$__rate_interval`. Default `'1m'` (at least four scrapes of 15 s). */
  rateInterval?: string;
}

/**
 * Replaces the Grafana variables of a dashboard query (`$__rate_interval`, `$namespace`,
 * `$service`) by values Prometheus accepts, so that the PromQL of every panel
 * ({@link dashboardQueries}) can be evaluated or checked directly, e.g. by an end-to-end
 * test against a real Prometheus or by `promtool`.
 */
export function resolveDashboardQuery(
  expr: string,
  variables: DashboardVariables = {},
): string {
  return expr
    .replaceAll('$__rate_interval', variables.rateInterval ?? '1m')
    .replaceAll('$namespace', variables.namespace ?? '.*')
    .replaceAll('$service', variables.service ?? '.*');
}
