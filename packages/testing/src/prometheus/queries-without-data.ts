import type { Prometheus } from './start-prometheus.js';

/** A PromQL query, as text or as an object with its text in `expr` (e.g. `{ panel, expr }` of a dashboard). */
export type PromQuery = string | { readonly expr: string };

/**
 * The queries that return no series, in their order, e.g. the panel queries
 * of a dashboard that would show "No data". Runs them one at a time; rejects
 * with `KENOS_ERR_TESTING_PROMETHEUS_QUERY` when Prometheus rejects one.
 */
export async function queriesWithoutData<Q extends PromQuery>(
  prometheus: Pick<Prometheus, 'query'>,
  queries: readonly Q[],
): Promise<Q[]> {
  const empty: Q[] = [];
  for (const q of queries) {
    const series = await prometheus.query(typeof q === 'string' ? q : q.expr);
    if (series.length === 0) empty.push(q);
  }
  return empty;
}
