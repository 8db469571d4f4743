import { randomUUID } from 'node:crypto';
import {
  createLifecycle,
  type HealthCheck,
  type Lifecycle,
} from '@kenos/lifecycle';
import type { BatchContext } from '../define-service.js';
import type { StandardSettings } from '../service/config.js';
import type { KeysSeam } from '../service/keys.js';
import { adminLifecycleOptions, mountAdminRoutes } from '../service/admin.js';
import type { LoggingSeam } from '../service/logger.js';
import type { MetricsSeam } from '../service/metrics.js';

const OK = 0;
const FAILURE = 1;

/** What {@link runBatch} needs from `runService`: the batch and the seams of the process. */
export interface BatchRun {
  /** The batch name, after `batch:`. */
  name: string;
  /** Runs the batch function with the service context already bound. */
  run: (batch: BatchContext) => Promise<void>;
  /** The standard settings (`admin.port`, `shutdown.timeoutMs`, `batch.metricsLingerMs`). */
  settings: StandardSettings;
  logging: LoggingSeam;
  metrics: MetricsSeam;
  keys: KeysSeam;
  /** `ctx.onShutdown` hooks, run after the batch (and the linger) in reverse order. */
  hooks: {
    name: string;
    run: () => Promise<void> | void;
    timeoutMs?: number;
  }[];
  /** `ctx.registerHealthCheck` checks registered so far, and where later ones go. */
  health: { pending: HealthCheck[]; sink?: (check: HealthCheck) => void };
  telemetryShutdown: () => Promise<void>;
  exit: (code: number) => void;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function linger(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Runs `batch:<name>`: the admin server (`/live`, `/ready`, `/health`, `/metrics`, `/log-level`)
 * on `ADMIN_PORT` from before the run until the exit, the batch in one log scope with
 * `kenos_jobs_*` metrics, then `batch.metricsLingerMs` more with the admin server up so the final
 * job metrics are scraped, then the shutdown hooks and flushers of `@kenos/lifecycle`. Exit 0
 * when the batch resolved, 1 when it threw or was aborted by SIGTERM/SIGINT (which also skips
 * the linger); a signal during the linger ends it at once and keeps the batch's exit code; a
 * second signal exits 1 at once.
 */
export async function runBatch(b: BatchRun): Promise<void> {
  const logger = b.logging.root;
  const lifecycle: Lifecycle = createLifecycle({
    logger,
    ...adminLifecycleOptions(b.settings),
    shutdownDelayMs: 0,
    shutdownTimeoutMs: b.settings.shutdown.timeoutMs,
    startupTimeoutMs: 0,
    // runBatch owns the signals: the first aborts the batch (or ends the linger), not a drain
    handleSignals: false,
    handleCrashes: false,
    exit: b.exit,
  });
  for (const check of b.health.pending.splice(0))
    lifecycle.registerHealthCheck(check);
  b.health.sink = (check) => lifecycle.registerHealthCheck(check);
  mountAdminRoutes(lifecycle, b.metrics, logger);
  lifecycle.registerShutdownHook({
    name: 'key-provider',
    run: () => b.keys.close(),
  });
  for (const h of b.hooks) lifecycle.registerShutdownHook(h);
  lifecycle.registerFlusher({ name: 'telemetry', flush: b.telemetryShutdown });
  lifecycle.registerFlusher({ name: 'logs', flush: () => b.logging.flush() });

  let adminPort: number;
  try {
    adminPort = await lifecycle.start();
  } catch (err) {
    const inUse = /EADDRINUSE/.test(
      err instanceof Error ? err.message : String(err),
    );
    const port = b.settings.admin.port;
    logger.fatal(
      { err, code: 'KENOS_ERR_SERVER_START' },
      inUse
        ? `admin port ${port} (ADMIN_PORT) is already in use`
        : `admin failed to start: ${(err as Error).message}`,
    );
    await b.logging.flush();
    return b.exit(FAILURE);
  }
  lifecycle.signalReady();
  logger.info(
    {
      ports: { admin: adminPort },
      startup_ms: Math.round(process.uptime() * 1000),
    },
    'service ready',
  );

  const abortBatch = new AbortController();
  const endLinger = new AbortController();
  let phase: 'running' | 'lingering' | 'exiting' = 'running';
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals += 1;
    if (signals > 1) {
      logger.fatal({ signal }, 'second signal; exiting now');
      return b.exit(FAILURE);
    }
    if (phase === 'running') {
      logger.warn({ signal }, 'signal received; aborting the batch');
      abortBatch.abort(new Error(`received ${signal}`));
    } else if (phase === 'lingering') {
      logger.info({ signal }, 'signal received; ending the metrics linger');
      endLinger.abort();
    } else {
      logger.info({ signal }, 'signal received; already exiting');
    }
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  const started = performance.now();
  const end = b.metrics.startJob('batch', b.name);
  let code = OK;
  await b.logging.runWithContext(
    { job: b.name, job_id: randomUUID() },
    async () => {
      const jobLogger = b.logging.current();
      jobLogger.info('batch started');
      try {
        await b.run({ signal: abortBatch.signal, logger: jobLogger });
        end('success');
        jobLogger.info(
          { duration_ms: Math.round(performance.now() - started) },
          'batch succeeded',
        );
      } catch (err) {
        const outcome = abortBatch.signal.aborted ? 'cancelled' : 'failure';
        end(outcome);
        jobLogger.error(
          {
            err,
            outcome,
            duration_ms: Math.round(performance.now() - started),
          },
          outcome === 'cancelled'
            ? 'batch aborted before it finished'
            : 'batch failed',
        );
        code = FAILURE;
      }
    },
  );

  const lingerMs = b.settings.batch.metricsLingerMs;
  if (lingerMs > 0 && signals === 0) {
    phase = 'lingering';
    logger.info(
      { linger_ms: lingerMs, exit_code: code },
      `batch finished; serving /metrics for ${lingerMs} ms before exiting`,
    );
    await linger(lingerMs, endLinger.signal);
  }
  phase = 'exiting';
  await lifecycle.shutdown(
    code === OK ? 'batch succeeded' : 'batch failed',
    code,
  );
  process.off('SIGTERM', onSignal);
  process.off('SIGINT', onSignal);
}
