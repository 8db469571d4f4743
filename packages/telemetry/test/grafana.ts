/** Replaces the Grafana variables of a dashboard query by values Prometheus accepts. */
export function substituteGrafanaVariables(expr: string, service = '.*'): string {
  return expr.replaceAll('$__rate_interval', '1m').replaceAll('$namespace', '.*').replaceAll('$service', service);
}
