/**
 * @kenos/lifecycle: Kubernetes probes, health checks and an ordered, bounded, lossless shutdown.
 *
 * Export every public symbol by name (no `export *`); each export is part of
 * the API report in `api/lifecycle.api.md`.
 *
 * @packageDocumentation
 */
export { createLifecycle } from './create-lifecycle.js';
export { LifecycleError, type LifecycleErrorCode } from './lifecycle-error.js';
export { type LifecycleLogFn, type LifecycleLogger } from './logger.js';
export { type AdminMutatingRoutes, type LifecycleOptions } from './options.js';
export {
  LIFECYCLE_STATES,
  type AdminRouteHandler,
  type Beacon,
  type Drainer,
  type Flusher,
  type HealthCheck,
  type HealthCheckResult,
  type HealthCheckStatus,
  type Lifecycle,
  type LifecycleEvent,
  type LifecycleSnapshot,
  type LifecycleState,
  type ShutdownHook,
  type ShutdownPhase,
  type TaskOutcome,
} from './types.js';
