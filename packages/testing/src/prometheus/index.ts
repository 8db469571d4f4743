/**
 * `@kenos/testing/prometheus`: a real Prometheus server for end-to-end tests
 * of metrics. `startPrometheus` runs the `prometheus` binary scraping the
 * given targets; `queriesWithoutData` finds the queries (of a dashboard, of
 * alert rules) that return nothing. It imports no `@kenos` package and no
 * other dependency: the queries come from the caller.
 *
 * @packageDocumentation
 */
export { queriesWithoutData } from './queries-without-data.js';
export type { PromQuery } from './queries-without-data.js';
export type { PrometheusSample } from './prometheus-api.js';
export type { ScrapeTarget } from './prometheus-config.js';
export { startPrometheus } from './start-prometheus.js';
export type { Prometheus, PrometheusOptions } from './start-prometheus.js';
export { TestingError } from '../testing-error.js';
export type { TestingErrorCode } from '../testing-error.js';
