import { LifecycleError, toError } from './lifecycle-error.js';
import type { LifecycleLogger } from './logger.js';
import { checkDuration } from './options.js';
import { runWithTimeout } from './run-with-timeout.js';
import type {
  HealthCheck,
  HealthCheckStatus,
  LifecycleEvent,
} from './types.js';

interface Entry {
  def: HealthCheck;
  status: HealthCheckStatus;
  timeoutMs: number;
  intervalMs: number;
  timer: NodeJS.Timeout | undefined;
  inFlight: boolean;
}

/** Dependencies of {@link HealthCheckRunner}. */
export interface HealthCheckRunnerDeps {
  logger: LifecycleLogger;
  emit: (event: LifecycleEvent) => void;
  /** Called after every evaluation that changed a check's status. */
  onChange: () => void;
  checkTimeoutMs: number;
  checkIntervalMs: number;
}

/**
 * Evaluates health checks in the background, one evaluation per check at a time, and caches the
 * results: probes read the cache and never call a dependency, so a probe storm cannot fan out.
 */
export class HealthCheckRunner {
  readonly #deps: HealthCheckRunnerDeps;
  readonly #entries = new Map<string, Entry>();
  #running = false;

  constructor(deps: HealthCheckRunnerDeps) {
    this.#deps = deps;
  }

  /** Adds a check; evaluated at once when the runner is already running. */
  add(def: HealthCheck): void {
    const problems: string[] = [];
    if (typeof def.name !== 'string' || def.name === '')
      problems.push('name must be a non-empty string');
    if (typeof def.check !== 'function')
      problems.push('check must be a function');
    const timeoutMs = def.timeoutMs ?? this.#deps.checkTimeoutMs;
    const intervalMs = def.intervalMs ?? this.#deps.checkIntervalMs;
    checkDuration(problems, 'timeoutMs', timeoutMs);
    checkDuration(problems, 'intervalMs', intervalMs);
    if (problems.length > 0) {
      throw new LifecycleError(
        'KENOS_ERR_LIFECYCLE_INVALID_OPTIONS',
        `health check ${JSON.stringify(def.name)}: ${problems.join('; ')}`,
      );
    }
    if (this.#entries.has(def.name)) {
      throw new LifecycleError(
        'KENOS_ERR_LIFECYCLE_DUPLICATE_NAME',
        `a health check named ${JSON.stringify(def.name)} is already registered`,
      );
    }
    const entry: Entry = {
      def,
      timeoutMs,
      intervalMs,
      timer: undefined,
      inFlight: false,
      status: {
        name: def.name,
        critical: def.critical ?? true,
        status: 'unknown',
        durationMs: null,
        checkedAt: null,
        lastError: null,
        evaluations: 0,
      },
    };
    this.#entries.set(def.name, entry);
    if (this.#running) void this.#evaluate(entry);
  }

  /** Starts evaluating every check now and then every `intervalMs`. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    for (const entry of this.#entries.values()) void this.#evaluate(entry);
  }

  /** Stops scheduling evaluations (an evaluation in flight finishes on its own). */
  stop(): void {
    this.#running = false;
    for (const entry of this.#entries.values()) clearTimeout(entry.timer);
  }

  /** Copies of the cached statuses, in registration order. */
  statuses(): HealthCheckStatus[] {
    return [...this.#entries.values()].map((e) => ({ ...e.status }));
  }

  /** `fail` if a critical check fails, else `unknown` if one has no result yet, else `pass`. */
  criticalResult(): 'pass' | 'fail' | 'unknown' {
    let result: 'pass' | 'unknown' = 'pass';
    for (const { status } of this.#entries.values()) {
      if (!status.critical) continue;
      if (status.status === 'fail') return 'fail';
      if (status.status === 'unknown') result = 'unknown';
    }
    return result;
  }

  async #evaluate(entry: Entry): Promise<void> {
    if (entry.inFlight || !this.#running) return;
    entry.inFlight = true;
    const { name } = entry.def;
    const started = performance.now();
    let error: Error | undefined;
    try {
      await runWithTimeout(
        (signal) => entry.def.check(signal),
        entry.timeoutMs,
        `health check "${name}"`,
        {
          unref: true,
        },
      );
    } catch (caught) {
      error = toError(caught, `health check "${name}" rejected`);
    }
    const durationMs = performance.now() - started;
    entry.inFlight = false;
    const previous = entry.status.status;
    const next = error === undefined ? 'pass' : 'fail';
    entry.status = {
      ...entry.status,
      status: next,
      durationMs: Math.round(durationMs * 1000) / 1000,
      checkedAt: new Date().toISOString(),
      lastError: error === undefined ? entry.status.lastError : error.message,
      evaluations: entry.status.evaluations + 1,
    };
    this.#deps.emit({
      type: 'check',
      name,
      critical: entry.status.critical,
      status: next,
      durationMs,
      ...(error === undefined ? {} : { error }),
    });
    if (next !== previous) {
      if (error !== undefined) {
        this.#deps.logger.warn(
          { err: error, check: name, critical: entry.status.critical },
          `health check "${name}" failed`,
        );
      } else if (previous === 'fail') {
        this.#deps.logger.info(
          { check: name },
          `health check "${name}" recovered`,
        );
      }
      this.#deps.onChange();
    }
    if (this.#running) {
      entry.timer = setTimeout(
        () => void this.#evaluate(entry),
        entry.intervalMs,
      );
      entry.timer.unref();
    }
  }
}
