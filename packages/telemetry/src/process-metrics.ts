import type { KenosMetrics } from './create-metrics.js';

/** On a global symbol: two copies of `@kenos/telemetry` in one process share it. */
const KEY = Symbol.for('@kenos/telemetry.process-metrics.v1');

/**
 * Makes `metrics` the process's Kenos metrics, the ones `/metrics` serves: `@kenos/server` sets them at
 * startup, so that libraries (HTTP and gRPC clients, queue adapters) record into them without being
 * handed them. `undefined` clears them.
 */
export function setProcessMetrics(metrics: KenosMetrics | undefined): void {
  (globalThis as { [KEY]?: KenosMetrics })[KEY] = metrics;
}

/** The process's Kenos metrics (see {@link setProcessMetrics}); `undefined` before a service set them. */
export function getProcessMetrics(): KenosMetrics | undefined {
  return (globalThis as { [KEY]?: KenosMetrics })[KEY];
}
