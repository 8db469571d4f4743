import { LifecycleError, toError } from './lifecycle-error.js';
import type { ResolvedLifecycleOptions } from './options.js';
import { runWithTimeout, sleep } from './run-with-timeout.js';
import type {
  Beacon,
  Drainer,
  Flusher,
  LifecycleEvent,
  LifecycleSnapshot,
  ShutdownHook,
  ShutdownPhase,
  TaskOutcome,
} from './types.js';

/** `running` before a shutdown, then the shutdown phases in order. */
export type Phase = 'running' | ShutdownPhase;

/** Dependencies of {@link ShutdownSequence}. */
export interface ShutdownSequenceDeps {
  opts: ResolvedLifecycleOptions;
  emit: (event: LifecycleEvent) => void;
  /** Whether the process was ever ready (if not, no traffic can be routed to it: no delay). */
  everReady: () => boolean;
  /** Called on every phase change, after `phase` was updated. */
  onPhase: () => void;
  /** Called right before `exit`: closes the admin server, removes process handlers. */
  beforeExit: () => void;
}

type TaskKind = 'drainer' | 'hook' | 'flusher';

/**
 * The ordered, bounded shutdown: delay → drain (drainers in parallel, beacons) → hooks (reverse
 * order, one timeout each) → flushers → exit, all under one overall deadline.
 */
export class ShutdownSequence {
  readonly drainers: Drainer[] = [];
  readonly hooks: ShutdownHook[] = [];
  readonly flushers: Flusher[] = [];
  phase: Phase = 'running';

  readonly #deps: ShutdownSequenceDeps;
  readonly #running = new Set<{ label: string; phase: Phase }>();
  readonly #beacons = new Map<object, string>();
  readonly #drainController = new AbortController();
  #beaconsReleased: (() => void) | undefined;
  #done: Promise<void> | undefined;
  #resolveDone: () => void = () => undefined;
  #reason = '';
  #exitCode = 0;
  #startedAt = 0;
  #endedAt: number | undefined;
  #deadline: NodeJS.Timeout | undefined;
  #exited = false;

  constructor(deps: ShutdownSequenceDeps) {
    this.#deps = deps;
  }

  /** Starts the sequence (readiness turns false synchronously); later calls return the same promise. */
  run(reason: string, exitCode: number): Promise<void> {
    if (this.#done !== undefined) return this.#done;
    this.#done = new Promise<void>((resolve) => {
      this.#resolveDone = resolve;
    });
    this.#reason = reason;
    this.#exitCode = exitCode;
    this.#startedAt = performance.now();
    this.#enter('delay');
    this.#sequence().catch((caught: unknown) => {
      this.#deps.opts.logger.fatal(
        { err: toError(caught, 'shutdown sequence threw') },
        'the shutdown sequence itself failed',
      );
      this.#exit(1);
    });
    return this.#done;
  }

  /** Makes the final exit code non-zero (a crash during shutdown); a zero code never lowers it. */
  raiseExitCode(code: number): void {
    if (code !== 0 && this.#exitCode === 0) this.#exitCode = code;
  }

  /** Exits 1 at once, naming what is still running (a second signal). */
  forceExit(why: string): void {
    if (this.#exited) return;
    const still = this.#stillRunning();
    const err = new LifecycleError(
      'KENOS_ERR_LIFECYCLE_FORCED_EXIT',
      `${why}: exiting 1 now; still running: ${describe(still)}`,
    );
    this.#deps.opts.logger.error(
      { err, stillRunning: still, phase: this.phase },
      err.message,
    );
    this.#exit(1);
  }

  /** Holds the drain phase until released. */
  beacon(name: string): Beacon {
    const token = {};
    this.#beacons.set(token, name);
    return {
      release: () => {
        if (!this.#beacons.delete(token)) return;
        if (this.#beacons.size === 0) this.#beaconsReleased?.();
      },
    };
  }

  beaconNames(): string[] {
    return [...this.#beacons.values()];
  }

  progress(): LifecycleSnapshot['shutdown'] {
    if (this.phase === 'running') return null;
    return {
      reason: this.#reason,
      exitCode: this.#exitCode,
      phase: this.phase,
      durationMs: Math.round(
        (this.#endedAt ?? performance.now()) - this.#startedAt,
      ),
    };
  }

  async #sequence(): Promise<void> {
    const { opts } = this.#deps;
    const delay = this.#deps.everReady() ? opts.shutdownDelayMs : 0;
    opts.logger.info(
      {
        reason: this.#reason,
        shutdownDelayMs: delay,
        shutdownTimeoutMs: opts.shutdownTimeoutMs,
      },
      `shutdown started (${this.#reason}): readiness is false, draining in ${delay} ms`,
    );
    if (delay > 0) await sleep(delay);
    if (this.#exited) return;
    this.#deadline = setTimeout(() => {
      this.#onDeadline();
    }, opts.shutdownTimeoutMs);

    this.#enter('drain');
    await this.#drain();
    if (this.#exited) return;

    this.#enter('hooks');
    for (const hook of [...this.hooks].reverse()) {
      await this.#task(
        'hook',
        hook.name,
        () => hook.run(),
        hook.timeoutMs ?? opts.hookTimeoutMs,
      );
      if (this.#exited) return;
    }

    this.#enter('flush');
    // logged before the flushers run, so that an asynchronous logger flushes this line too
    opts.logger.info(
      {
        reason: this.#reason,
        exitCode: this.#exitCode,
        durationMs: this.#elapsed(),
      },
      `shutdown complete after ${this.#elapsed()} ms: flushing, then exiting with code ${this.#exitCode}`,
    );
    await Promise.all(
      this.flushers.map((f) =>
        this.#task(
          'flusher',
          f.name,
          () => f.flush(),
          f.timeoutMs ?? opts.hookTimeoutMs,
        ),
      ),
    );
    this.#exit(this.#exitCode, false);
  }

  #elapsed(): number {
    return Math.round(performance.now() - this.#startedAt);
  }

  async #drain(): Promise<void> {
    const { opts } = this.#deps;
    const controller = this.#drainController;
    const timer =
      opts.drainTimeoutMs < opts.shutdownTimeoutMs
        ? setTimeout(() => {
            controller.abort(
              new LifecycleError(
                'KENOS_ERR_LIFECYCLE_TIMEOUT',
                `the drain did not finish within ${opts.drainTimeoutMs} ms`,
              ),
            );
          }, opts.drainTimeoutMs)
        : undefined;
    const aborted = new Promise<void>((resolve) => {
      controller.signal.addEventListener('abort', () => resolve(), {
        once: true,
      });
    });
    // beacons are awaited once the drainers are done: a job that starts while a consumer drains
    // is still waited for
    const work = Promise.all(
      this.drainers.map((d) =>
        this.#task('drainer', d.name, () => d.drain(controller.signal)),
      ),
    ).then(() => this.#waitForBeacons());
    await Promise.race([work, aborted]);
    clearTimeout(timer);
    if (controller.signal.aborted && !this.#exited) {
      const still = this.#stillRunning();
      opts.logger.error(
        { err: controller.signal.reason as unknown, stillRunning: still },
        `drain deadline reached, moving on to the shutdown hooks; still running: ${describe(still)}`,
      );
      for (const item of this.#running)
        if (item.phase === 'drain') this.#running.delete(item);
      this.#beacons.clear();
    }
  }

  #waitForBeacons(): Promise<void> {
    if (this.#beacons.size === 0) return Promise.resolve();
    const names = this.beaconNames();
    this.#deps.opts.logger.info(
      { beacons: names },
      `drain held by ${names.length} beacon(s): ${names.join(', ')}`,
    );
    return new Promise<void>((resolve) => {
      this.#beaconsReleased = resolve;
    });
  }

  async #task(
    kind: TaskKind,
    name: string,
    fn: () => Promise<void> | void,
    timeoutMs?: number,
  ): Promise<void> {
    const label = `${kind} "${name}"`;
    const item = { label, phase: this.phase };
    this.#running.add(item);
    const started = performance.now();
    let outcome: TaskOutcome = 'ok';
    try {
      if (timeoutMs === undefined) await fn();
      else await runWithTimeout(fn, timeoutMs, label);
    } catch (caught) {
      const err = toError(caught, `${label} threw`);
      outcome =
        err instanceof LifecycleError &&
        err.code === 'KENOS_ERR_LIFECYCLE_TIMEOUT'
          ? 'timeout'
          : 'error';
      if (!this.#exited) {
        this.#deps.opts.logger.error(
          { err, [kind]: name },
          outcome === 'timeout'
            ? `${label} timed out after ${String(timeoutMs)} ms: skipped`
            : `${label} failed: skipped`,
        );
      }
    } finally {
      this.#running.delete(item);
    }
    const durationMs = performance.now() - started;
    if (!this.#exited)
      this.#deps.emit({ type: 'task', kind, name, outcome, durationMs });
  }

  #stillRunning(): string[] {
    const labels = [...this.#running].map((item) => item.label);
    if (this.phase === 'drain')
      for (const name of this.#beacons.values())
        labels.push(`beacon "${name}"`);
    return labels;
  }

  #onDeadline(): void {
    if (this.#exited) return;
    const still = this.#stillRunning();
    const err = new LifecycleError(
      'KENOS_ERR_LIFECYCLE_SHUTDOWN_TIMEOUT',
      `shutdown did not finish within ${this.#deps.opts.shutdownTimeoutMs} ms; still running: ${describe(still)}`,
    );
    this.#drainController.abort(err);
    this.#deps.opts.logger.error(
      { err, stillRunning: still, phase: this.phase },
      err.message,
    );
    this.#exit(1);
  }

  #enter(phase: ShutdownPhase): void {
    this.phase = phase;
    this.#deps.emit({ type: 'phase', phase });
    this.#deps.onPhase();
  }

  #exit(code: number, log = true): void {
    if (this.#exited) return;
    this.#exited = true;
    clearTimeout(this.#deadline);
    this.#endedAt = performance.now();
    this.#exitCode = code;
    this.#enter('exit');
    const durationMs = this.#endedAt - this.#startedAt;
    this.#deps.emit({
      type: 'shutdown',
      reason: this.#reason,
      exitCode: code,
      durationMs,
    });
    if (log) {
      this.#deps.opts.logger.info(
        {
          reason: this.#reason,
          exitCode: code,
          durationMs: Math.round(durationMs),
        },
        `exiting with code ${code} after ${Math.round(durationMs)} ms`,
      );
    }
    this.#deps.beforeExit();
    this.#resolveDone();
    this.#deps.opts.exit(code);
  }
}

function describe(labels: string[]): string {
  return labels.length === 0 ? 'nothing (between phases)' : labels.join(', ');
}
