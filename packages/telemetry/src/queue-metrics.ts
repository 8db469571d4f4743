import { Gauge, Histogram, type Registry } from 'prom-client';
import {
  KENOS_METRICS,
  QUEUE_JOB_STATES,
  type QueueJobState,
} from './catalog.js';
import type { TelemetryLogger } from './diagnostics.js';

/** Job counts of one queue by state; a state left out is reported as 0. */
export type QueueDepth = Readonly<Partial<Record<QueueJobState, number>>>;

/** Reads a queue's depth from its engine; called at each scrape. */
export type QueueDepthReader = () => Promise<QueueDepth> | QueueDepth;

/** The queue metrics of {@link KenosMetrics}. */
export interface QueueMetrics {
  /** Records the time from enqueue to the start of a worker job in `kenos_job_queue_latency_seconds`. */
  observeJobQueueLatency(jobName: string, seconds: number): void;
  /**
   * Reports `kenos_queue_jobs{queue,job_state}` for `queue`, read by `read` at every scrape (with a 2 s
   * limit). A read that fails or times out drops the queue's series from that scrape and is logged once
   * until a read succeeds again: a scrape never fails because a queue engine is down. Tracking the same
   * queue again replaces its reader. Returns a function that stops tracking it.
   */
  trackQueueDepth(queue: string, read: QueueDepthReader): () => void;
}

const READ_LIMIT_MS = 2000;

function withLimit<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${ms} ms`)),
      ms,
    );
    timer.unref();
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

/** Creates the queue latency histogram and the queue depth gauge on `registry`. */
export function createQueueMetrics(
  registry: Registry,
  logger: TelemetryLogger | undefined,
): QueueMetrics {
  const m = KENOS_METRICS;
  const latency = new Histogram({
    name: m.jobQueueLatency.name,
    help: m.jobQueueLatency.help,
    labelNames: [...m.jobQueueLatency.labels],
    buckets: [...m.jobQueueLatency.buckets],
    registers: [registry],
  });
  const readers = new Map<string, QueueDepthReader>();
  const failing = new Set<string>();
  const warn = (queue: string, err: unknown): void => {
    if (failing.has(queue)) return;
    failing.add(queue);
    const obj = {
      code: 'KENOS_ERR_TELEMETRY_QUEUE_DEPTH',
      queue,
      err: { message: err instanceof Error ? err.message : String(err) },
    };
    const msg = `queue depth of ${queue} could not be read; its series are left out until it can`;
    if (logger) logger.warn(obj, msg);
    else
      process.stderr.write(
        `${JSON.stringify({ level: 'warn', time: new Date().toISOString(), component: 'telemetry', ...obj, msg })}\n`,
      );
  };
  new Gauge({
    name: m.queueJobs.name,
    help: m.queueJobs.help,
    labelNames: [...m.queueJobs.labels],
    registers: [registry],
    async collect() {
      this.reset();
      await Promise.all(
        [...readers].map(async ([queue, read]) => {
          try {
            const depth = await withLimit(
              Promise.resolve().then(read),
              READ_LIMIT_MS,
            );
            failing.delete(queue);
            for (const state of QUEUE_JOB_STATES)
              this.set({ queue, job_state: state }, depth[state] ?? 0);
          } catch (err) {
            warn(queue, err);
          }
        }),
      );
    },
  });
  return {
    observeJobQueueLatency(jobName, seconds) {
      if (Number.isFinite(seconds))
        latency.observe({ job_name: jobName }, Math.max(0, seconds));
    },
    trackQueueDepth(queue, read) {
      readers.set(queue, read);
      return () => {
        if (readers.get(queue) === read) readers.delete(queue);
      };
    },
  };
}
