import { sel } from './promql.js';

/** What a dashboard panel shows; buildDashboard lays it out and turns it into a Grafana panel. */
export interface PanelSpec {
  title: string;
  description: string;
  unit: string;
  type?: 'timeseries' | 'stat' | 'table';
  /** Stack the series (a total split into parts, e.g. queue depth by state). */
  stacked?: boolean;
  queries: [expr: string, legend: string][];
}

/** A dashboard row and its panels. */
export interface RowSpec {
  title: string;
  panels: PanelSpec[];
}

/** The selector every panel query starts from. */
export const S = 'namespace=~"$namespace", service=~"$service"';
/** The rate window of every panel query. */
export const RI = '$__rate_interval';

/** p50 / p90 / p99 of a histogram's buckets, by the given labels. */
export function quantiles(
  bucket: string,
  by: string,
  legendBy: string,
  extra = '',
): [string, string][] {
  return ([0.5, 0.9, 0.99] as const).map((q): [string, string] => [
    `histogram_quantile(${q}, sum by (${by}, le) (rate(${bucket}${sel(S, extra)}[${RI}])))`,
    `p${q * 100} ${legendBy}`,
  ]);
}

/** Share of `count` matching `errors`, by the given labels; 0 (not "no data") when nothing failed. */
export function ratio(count: string, errors: string, by: string): string {
  const all = `sum${by ? ` by (${by})` : ''} (rate(${count}${sel(S)}[${RI}]))`;
  const bad = `sum${by ? ` by (${by})` : ''} (rate(${count}${sel(S, errors)}[${RI}]))`;
  return `(${bad} or ${all} * 0)\n/\n${all}`;
}
