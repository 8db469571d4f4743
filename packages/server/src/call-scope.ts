import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What outgoing calls inherit from the request, call or job being served: its request id, its
 * deadline and its cancellation. The REST and gRPC transports and the worker open one scope per
 * request, call and job; clients (`@kenos/clients`) and the job producer read it.
 */
export interface CallScope {
  /** The request id of the request, call or job (`x-request-id`, logged as `request_id`). */
  readonly requestId: string;
  /**
   * When the caller stops waiting, in epoch milliseconds: the gRPC call's deadline, the REST
   * handler timeout, or the job's shutdown deadline once known. `undefined`: no deadline.
   */
  readonly deadline: number | undefined;
  /** Aborted when the caller went away or the deadline passed. */
  readonly signal: AbortSignal | undefined;
}

/** Process-wide, on a global symbol: two copies of `@kenos/server` in one process share the scopes. */
const STORAGE_KEY = Symbol.for('@kenos/server.call-scope.v1');

function storage(): AsyncLocalStorage<CallScope> {
  const g = globalThis as { [STORAGE_KEY]?: AsyncLocalStorage<CallScope> };
  return (g[STORAGE_KEY] ??= new AsyncLocalStorage<CallScope>());
}

/**
 * The scope of the request, call or job being served here (AsyncLocalStorage), or `undefined`
 * outside one (startup, timers not started from a request, batches).
 */
export function currentCallScope(): CallScope | undefined {
  return storage().getStore();
}

/** Runs `fn` inside `scope`; what `fn` returns is returned (a promise stays a promise). */
export function runInCallScope<T>(scope: CallScope, fn: () => T): T {
  return storage().run(scope, fn);
}

/** Milliseconds left until the current scope's deadline (never below 0); `undefined` without one. */
export function remainingTimeMs(
  scope: CallScope | undefined = currentCallScope(),
): number | undefined {
  if (scope?.deadline === undefined) return undefined;
  return Math.max(0, scope.deadline - Date.now());
}
