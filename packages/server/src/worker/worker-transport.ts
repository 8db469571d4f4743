import { randomUUID } from 'node:crypto';
import { withSpan } from '@kenos/telemetry';
import { runInCallScope } from '../call-scope.js';
import { ServerError } from '../server-error.js';
import type { LoggingSeam, ServiceLogger } from '../service/logger.js';
import type { MetricsSeam } from '../service/metrics.js';
import type { Transport } from '../transport.js';
import type { Job, JobSource } from './job-source.js';

/** What a job handler gets besides the job. */
export interface JobContext {
  /** Aborted when the shutdown deadline passes: stop and throw. */
  readonly signal: AbortSignal;
  /** The job-scoped logger (`job_id` bound). */
  readonly logger: ServiceLogger;
}

/** Options of {@link createWorkerTransport}. */
export interface WorkerTransportOptions<T> {
  /** `worker:<name>`. */
  name: string;
  source: JobSource<T>;
  handle: (job: Job<T>, context: JobContext) => Promise<void>;
  /** Jobs run at the same time. Default `1`. */
  concurrency?: number;
  logging: LoggingSeam;
  metrics: MetricsSeam;
  /** Called when stop had to abort in-flight jobs (the process then exits 1). */
  onJobsAborted?: (count: number) => void;
}

/**
 * Runs a job source with a concurrency limit. `stop` stops taking jobs, waits
 * for the in-flight ones, and aborts them through their AbortSignal when the
 * shutdown deadline passes.
 */
export function createWorkerTransport<T>(
  options: WorkerTransportOptions<T>,
): Transport {
  const { logging, metrics, source } = options;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const stopTaking = new AbortController();
  const deadline = new AbortController();
  const running = new Set<Promise<void>>();
  let loop: Promise<void> | undefined;
  const jobName = options.name.replace(/^worker:/, '');

  const handleJob = async (job: Job<T>, started: number): Promise<void> => {
    const end = metrics.startJob('worker', jobName);
    const logger = logging.current();
    const enqueuedAt = job.origin?.enqueuedAt;
    const queueLatencyMs =
      typeof enqueuedAt === 'number' && Number.isFinite(enqueuedAt)
        ? Math.max(0, Date.now() - enqueuedAt)
        : undefined;
    if (queueLatencyMs !== undefined)
      metrics.observeJobQueueLatency(jobName, queueLatencyMs / 1000);
    logger.info(
      queueLatencyMs === undefined ? {} : { queue_latency_ms: queueLatencyMs },
      'job started',
    );
    try {
      await options.handle(job, { signal: deadline.signal, logger });
      await source.complete(job);
      end('success');
      logger.info(
        { duration_ms: Math.round(performance.now() - started) },
        'job completed',
      );
    } catch (err) {
      const outcome = deadline.signal.aborted ? 'cancelled' : 'failure';
      end(outcome);
      logger.error({ err, outcome }, 'job failed');
      await Promise.resolve(source.fail(job, err)).catch(() => undefined);
      // marks the job's span as failed; caught below
      throw err;
    }
  };

  /**
   * Runs one job in its call scope (the origin's request id, the deadline signal), in a consumer
   * span that is a child of the enqueuing span (a new trace without one), with its log bindings.
   */
  const runJob = async (job: Job<T>): Promise<void> => {
    const started = performance.now();
    const requestId = job.origin?.requestId ?? randomUUID();
    const carrier: Record<string, string> = {};
    if (job.origin?.traceparent)
      carrier['traceparent'] = job.origin.traceparent;
    if (job.origin?.tracestate) carrier['tracestate'] = job.origin.tracestate;
    const bindings = {
      job_id: job.id,
      job: jobName,
      attempt: job.attempt ?? 1,
      request_id: requestId,
    };
    await runInCallScope(
      { requestId, deadline: undefined, signal: deadline.signal },
      () =>
        withSpan(
          {
            name: `process ${jobName}`,
            kind: 'consumer',
            carrier,
            attributes: {
              'messaging.operation.type': 'process',
              'messaging.destination.name': jobName,
              'messaging.message.id': job.id,
            },
          },
          () => logging.runWithContext(bindings, () => handleJob(job, started)),
        ),
    ).catch(() => undefined);
  };

  const takeLoop = async (): Promise<void> => {
    while (!stopTaking.signal.aborted) {
      if (running.size >= concurrency) {
        await Promise.race(running);
        continue;
      }
      let job: Job<T> | undefined;
      try {
        job = await source.next(stopTaking.signal);
      } catch (err) {
        logging.root.error({ err }, 'job source failed; retrying in 1 s');
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      if (!job) break;
      const p = runJob(job).finally(() => running.delete(p));
      running.add(p);
    }
  };

  return {
    name: options.name,
    async start() {
      // a source that cannot open (engine unreachable, bad settings) fails the start: exit before ready
      await source.open?.({ concurrency });
      loop = takeLoop();
    },
    async stop(signal) {
      stopTaking.abort();
      const onDeadline = (): void => deadline.abort(signal.reason);
      signal.addEventListener('abort', onDeadline, { once: true });
      if (running.size > 0)
        logging.root.info(
          { in_flight: running.size },
          'worker stopped taking jobs; finishing in-flight jobs',
        );
      const abortedWatch = (): void => {
        if (running.size > 0) options.onJobsAborted?.(running.size);
      };
      signal.addEventListener('abort', abortedWatch, { once: true });
      await loop;
      const inFlight = running.size;
      await Promise.allSettled([...running]);
      signal.removeEventListener('abort', onDeadline);
      signal.removeEventListener('abort', abortedWatch);
      await source.close?.();
      if (deadline.signal.aborted && inFlight > 0) {
        throw new ServerError(
          'KENOS_ERR_SERVER_JOBS_ABORTED',
          `${options.name}: in-flight jobs were aborted at the shutdown deadline`,
        );
      }
    },
  };
}
