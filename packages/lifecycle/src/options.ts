import { LifecycleError } from './lifecycle-error.js';
import { createFallbackLogger, type LifecycleLogger } from './logger.js';
import type { LifecycleEvent } from './types.js';

/**
 * Who may call the mutating admin routes (methods other than `GET` and `HEAD`): anyone
 * (`'open'`), only a request with the admin bearer token (`'token'`), or nobody (`'off'`).
 */
export type AdminMutatingRoutes = 'open' | 'token' | 'off';

const MUTATING_MODES: readonly AdminMutatingRoutes[] = ['open', 'token', 'off'];

/** Options of {@link createLifecycle}; every one is optional. */
export interface LifecycleOptions {
  /**
   * Port of the admin server (`/live`, `/ready`, `/health`, mounted routes). `0` binds an
   * ephemeral port, readable from `lifecycle.adminPort`. Default `9000`. The lifecycle reads no environment
   * variable: `@kenos/server` passes its standard setting `admin.port` (`ADMIN_PORT`).
   */
  adminPort?: number;
  /**
   * Interface the admin server binds. Default `'0.0.0.0'`: the kubelet probes the pod IP, so a
   * loopback-only admin server would fail every probe. Use `'127.0.0.1'` outside Kubernetes.
   * The admin port is never exposed through the Kubernetes Service.
   */
  adminHost?: string;
  /**
   * Who may call a mutating admin route (any method other than `GET` and `HEAD`, e.g.
   * `PUT /log-level`); read-only routes and the probes are always open. `'token'`: only a request
   * with `Authorization: Bearer <adminToken>` (else 401); `'off'`: nobody (403); `'open'`: anyone
   * who reaches the port (development only). Default `'token'` when `adminToken` is set, else
   * `'off'`. `@kenos/server` passes `'open'` when `KENOS_ENV` is `development` or `test` and no
   * `ADMIN_TOKEN` is set.
   */
  adminMutatingRoutes?: AdminMutatingRoutes;
  /**
   * Bearer token that mutating admin routes require (`adminMutatingRoutes: 'token'`), compared in
   * constant time. Default `''` (none). `@kenos/server` passes `admin.token` (`ADMIN_TOKEN`).
   */
  adminToken?: string;
  /**
   * Time between readiness going false and the drain starting, during which the process keeps
   * serving so that endpoints and load balancers stop routing to it. Skipped when the process
   * never became ready. Default `0`. `@kenos/server` passes `shutdown.delayMs` of
   * `@kenos/config` (`SHUTDOWN_DELAY_MS`), the one place of the Kubernetes-aware default: 5000
   * when `KUBERNETES_SERVICE_HOST` is set, else 0.
   */
  shutdownDelayMs?: number;
  /**
   * Deadline for drain, hooks and flush, counted from the end of the delay. Past it the process
   * logs what is still running and exits 1. Default `30000` (`SHUTDOWN_TIMEOUT_MS`).
   */
  shutdownTimeoutMs?: number;
  /**
   * Deadline of the drain phase alone (drainers and beacons), counted from its start; at it the
   * drainers' `AbortSignal` fires and the sequence moves on to the hooks. Default the overall
   * deadline (`shutdownTimeoutMs`).
   */
  drainTimeoutMs?: number;
  /** Default timeout of each shutdown hook and flusher. Default `5000`. */
  hookTimeoutMs?: number;
  /** Default timeout of one health-check evaluation. Default `2000`. */
  checkTimeoutMs?: number;
  /** Default pause between health-check evaluations. Default `5000`. */
  checkIntervalMs?: number;
  /**
   * Time from `start()` to `signalReady()`; past it the process logs
   * `KENOS_ERR_LIFECYCLE_STARTUP_TIMEOUT` and exits 1 after a graceful shutdown. `0` disables it.
   * Default `60000`.
   */
  startupTimeoutMs?: number;
  /** Logger (a pino logger fits). Default JSON lines on stderr, written synchronously. */
  logger?: LifecycleLogger;
  /** Called with the exit code at the end of a shutdown. Default `process.exit`. */
  exit?: (code: number) => void;
  /** Shut down on SIGTERM and SIGINT; a second signal forces exit 1. Default `true`. */
  handleSignals?: boolean;
  /** Log `uncaughtException` / `unhandledRejection` at fatal and shut down with exit 1. Default `true`. */
  handleCrashes?: boolean;
  /** Observer of state changes, check results, shutdown phases and tasks (for metrics). Default none. */
  onEvent?: (event: LifecycleEvent) => void;
}

/** Options after defaults are applied (the defaults live in {@link resolveLifecycleOptions} only). */
export type ResolvedLifecycleOptions = Required<LifecycleOptions>;

/** Merges `options` with the defaults and validates them; throws `KENOS_ERR_LIFECYCLE_INVALID_OPTIONS`. */
export function resolveLifecycleOptions(
  options: LifecycleOptions = {},
): ResolvedLifecycleOptions {
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? 30_000;
  const baseLogger = options.logger ?? createFallbackLogger();
  const adminToken = options.adminToken ?? '';
  const resolved: ResolvedLifecycleOptions = {
    adminPort: options.adminPort ?? 9000,
    adminHost: options.adminHost ?? '0.0.0.0',
    adminMutatingRoutes:
      options.adminMutatingRoutes ?? (adminToken === '' ? 'off' : 'token'),
    adminToken,
    shutdownDelayMs: options.shutdownDelayMs ?? 0,
    shutdownTimeoutMs,
    drainTimeoutMs: options.drainTimeoutMs ?? shutdownTimeoutMs,
    hookTimeoutMs: options.hookTimeoutMs ?? 5000,
    checkTimeoutMs: options.checkTimeoutMs ?? 2000,
    checkIntervalMs: options.checkIntervalMs ?? 5000,
    startupTimeoutMs: options.startupTimeoutMs ?? 60_000,
    logger: baseLogger.child?.({ module: 'lifecycle' }) ?? baseLogger,
    exit:
      options.exit ??
      ((code: number) => {
        process.exit(code);
      }),
    handleSignals: options.handleSignals ?? true,
    handleCrashes: options.handleCrashes ?? true,
    onEvent: options.onEvent ?? (() => undefined),
  };
  const problems: string[] = [];
  if (
    !Number.isInteger(resolved.adminPort) ||
    resolved.adminPort < 0 ||
    resolved.adminPort > 65_535
  ) {
    problems.push(
      `adminPort must be an integer from 0 to 65535, got ${String(resolved.adminPort)}`,
    );
  }
  checkAdminAccess(problems, resolved);
  for (const key of [
    'shutdownDelayMs',
    'shutdownTimeoutMs',
    'drainTimeoutMs',
    'hookTimeoutMs',
    'checkTimeoutMs',
    'checkIntervalMs',
    'startupTimeoutMs',
  ] as const) {
    checkDuration(problems, key, resolved[key]);
  }
  if (problems.length > 0) {
    throw new LifecycleError(
      'KENOS_ERR_LIFECYCLE_INVALID_OPTIONS',
      problems.join('; '),
    );
  }
  return resolved;
}

/** Adds a problem unless the admin access mode and token agree. */
function checkAdminAccess(
  problems: string[],
  { adminMutatingRoutes: mode, adminToken: token }: ResolvedLifecycleOptions,
): void {
  if (typeof token !== 'string') {
    problems.push(`adminToken must be a string, got ${typeof token}`);
  } else if (!MUTATING_MODES.includes(mode)) {
    problems.push(
      `adminMutatingRoutes must be one of ${MUTATING_MODES.join(', ')}, got ${String(mode)}`,
    );
  } else if (mode === 'token' && token === '') {
    problems.push(
      'adminMutatingRoutes is "token" but adminToken is empty: set adminToken, or use "off"',
    );
  } else if (mode !== 'token' && token !== '') {
    problems.push(
      `adminToken is set but adminMutatingRoutes is "${mode}": a set token is always required, so use "token"`,
    );
  }
}

/** Adds a problem unless `value` is a finite, non-negative number of milliseconds. */
export function checkDuration(
  problems: string[],
  key: string,
  value: unknown,
): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    problems.push(
      `${key} must be a finite number of milliseconds >= 0, got ${String(value)}`,
    );
  }
}
