import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The states of a Kenos process, in order: `starting` → `ready` ⇄ `degraded` →
 * `shutting_down` → `stopped`. Only `ready` answers the readiness probe with 200.
 */
export type LifecycleState =
  | 'starting'
  | 'ready'
  | 'degraded'
  | 'shutting_down'
  | 'stopped';

/** Every {@link LifecycleState}, in lifecycle order (for a state-set gauge). */
export const LIFECYCLE_STATES: readonly LifecycleState[] = Object.freeze([
  'starting',
  'ready',
  'degraded',
  'shutting_down',
  'stopped',
]);

/** Result of the last evaluation of a health check; `unknown` until the first one ends. */
export type HealthCheckResult = 'pass' | 'fail' | 'unknown';

/** A named dependency check, evaluated in the background and cached. */
export interface HealthCheck {
  /** Unique name, shown in `/health`, logs and events. */
  name: string;
  /** Resolves when healthy, rejects (or times out) when not. `signal` aborts at the timeout. */
  check: (signal: AbortSignal) => Promise<unknown>;
  /** A failing critical check fails readiness (never liveness). Default `true`. */
  critical?: boolean;
  /** Time allowed per evaluation. Default the lifecycle's `checkTimeoutMs` (2000). */
  timeoutMs?: number;
  /** Pause between the end of one evaluation and the start of the next. Default `checkIntervalMs` (5000). */
  intervalMs?: number;
}

/** The cached state of one health check, as served by `/health`. */
export interface HealthCheckStatus {
  /** Name given at registration. */
  name: string;
  /** Whether a failure fails readiness. */
  critical: boolean;
  /** Result of the last evaluation; `unknown` before the first one ends. */
  status: HealthCheckResult;
  /** Duration of the last evaluation in milliseconds, if any. */
  durationMs: number | null;
  /** ISO time the last evaluation ended. */
  checkedAt: string | null;
  /** Message of the last failure (kept after the check recovers), or null. */
  lastError: string | null;
  /** Number of evaluations so far. */
  evaluations: number;
}

/** Stops accepting work and finishes what is in flight (HTTP server, gRPC server, job consumer). */
export interface Drainer {
  /** Name used in logs and in the deadline message. */
  name: string;
  /** Drain; `signal` aborts at the drain deadline, when remaining work should be cut off. */
  drain: (signal: AbortSignal) => Promise<void>;
}

/** Releases a resource after draining (database pool, broker connection); run in reverse order. */
export interface ShutdownHook {
  /** Name used in logs and in the deadline message. */
  name: string;
  /** Releases the resource. */
  run: () => Promise<void> | void;
  /** Time allowed before the hook is logged and skipped. Default `hookTimeoutMs` (5000). */
  timeoutMs?: number;
}

/** Flushes buffered output (logs, metrics, traces); flushers run last, in parallel. */
export interface Flusher {
  /** Name used in logs and in the deadline message. */
  name: string;
  /** Flushes buffered output. */
  flush: () => Promise<void> | void;
  /** Time allowed. Default `hookTimeoutMs` (5000). */
  timeoutMs?: number;
}

/** Holds the drain phase of a shutdown until released (a job in flight). */
export interface Beacon {
  /** Releases the beacon; calling it again does nothing. */
  release(): void;
}

/**
 * Handler of an admin route (`/metrics`, `/log-level`). May return a promise; a throw or a
 * rejection answers 500 problem+json (or destroys the socket when headers were already sent).
 * Any other return value is ignored. A handler mounted on a method other than GET and HEAD is
 * called only after the access check of `adminMutatingRoutes` passed; a GET handler must only read.
 */
export type AdminRouteHandler = (
  req: IncomingMessage,
  res: ServerResponse,
) => unknown;

/** What happened to one named task (drainer, hook, flusher) during shutdown. */
export type TaskOutcome = 'ok' | 'error' | 'timeout';

/** Events for metrics and tests, delivered synchronously to the `onEvent` option. */
export type LifecycleEvent =
  | { type: 'state'; state: LifecycleState; previous: LifecycleState }
  | {
      type: 'check';
      name: string;
      critical: boolean;
      status: 'pass' | 'fail';
      durationMs: number;
      error?: Error;
    }
  | { type: 'phase'; phase: ShutdownPhase }
  | {
      type: 'task';
      kind: 'drainer' | 'hook' | 'flusher';
      name: string;
      outcome: TaskOutcome;
      durationMs: number;
    }
  | { type: 'shutdown'; reason: string; exitCode: number; durationMs: number };

/** Phases of the shutdown sequence, in order. */
export type ShutdownPhase = 'delay' | 'drain' | 'hooks' | 'flush' | 'exit';

/** Point-in-time view of the lifecycle, for metrics and `/health`. */
export interface LifecycleSnapshot {
  /** Current state. */
  state: LifecycleState;
  /** Whether `/ready` answers 200 (`state === 'ready'`). */
  ready: boolean;
  /** Port the admin server is bound to, once started. */
  adminPort: number | null;
  /** Cached status of every health check, in registration order. */
  checks: HealthCheckStatus[];
  /** Names of live beacons. */
  beacons: string[];
  /** Set once a shutdown began. `durationMs` grows until the process exits. */
  shutdown: {
    reason: string;
    exitCode: number;
    phase: ShutdownPhase;
    durationMs: number;
  } | null;
}

/** The lifecycle of one process: probes, health checks and the ordered shutdown. */
export interface Lifecycle {
  /**
   * Binds the admin server, installs signal and crash handlers, starts health checks and the
   * startup deadline; resolves with the bound admin port. Idempotent (later calls return the same
   * promise). Rejects with `KENOS_ERR_LIFECYCLE_ADMIN_LISTEN` when the port cannot be bound, and
   * with `KENOS_ERR_LIFECYCLE_PHASE_STARTED` when a shutdown already began.
   */
  start(): Promise<number>;
  /** Current state. */
  readonly state: LifecycleState;
  /** Port the admin server is bound to (useful with `adminPort: 0`), null before `start()`. */
  readonly adminPort: number | null;
  /** True only in the `ready` state (what `/ready` answers). */
  isReady(): boolean;
  /** Calls `fn` on every state change; returns a function that unsubscribes. */
  onStateChange(
    fn: (state: LifecycleState, previous: LifecycleState) => void,
  ): () => void;
  /** Adds a health check; throws `KENOS_ERR_LIFECYCLE_PHASE_STARTED` once shutdown began. */
  registerHealthCheck(check: HealthCheck): void;
  /** Adds a drainer; throws once the drain phase began. */
  registerDrainer(drainer: Drainer): void;
  /** Adds a shutdown hook (run in reverse registration order); throws once the hooks phase began. */
  registerShutdownHook(hook: ShutdownHook): void;
  /** Adds a flusher; throws once the flush phase began. */
  registerFlusher(flusher: Flusher): void;
  /** Holds the drain phase until released; throws once the drain phase ended. */
  beacon(name: string): Beacon;
  /** Ends the startup gate: readiness follows the critical checks from now on. */
  signalReady(): void;
  /**
   * Runs the shutdown sequence once and then calls `exit(exitCode)`; resolves after that.
   * A second call returns the same promise and does nothing else.
   */
  shutdown(reason: string, exitCode?: number): Promise<void>;
  /**
   * Logs `error` at fatal with its stack, then shuts down gracefully with `exitCode` (default 1).
   * For startup failures and crashes; during a shutdown it only raises the final exit code.
   */
  fail(error: unknown, exitCode?: number): Promise<void>;
  /**
   * Mounts a handler on the admin server (e.g. `GET /metrics`, `PUT /log-level`). Requests with a
   * method other than GET and HEAD reach it only as `adminMutatingRoutes` allows (401/403 else).
   */
  adminRoute(method: string, path: string, handler: AdminRouteHandler): void;
  /** Current state, checks, beacons and shutdown progress. */
  snapshot(): LifecycleSnapshot;
}
