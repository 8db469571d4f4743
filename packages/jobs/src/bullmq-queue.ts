import { getProcessMetrics } from '@kenos/telemetry';
import type { BullmqJobQueue } from './bullmq-job-queue.js';
import type { BullmqJobQueueOptions, JobsLogger } from './bullmq-options.js';

/**
 * Options of {@link bullmqQueue}: those of {@link createBullmqJobQueue} but `url` and `logger`,
 * which come from the service context (`config.queue.url`, the component's root logger).
 */
export type BullmqQueueOptions = Omit<BullmqJobQueueOptions, 'url' | 'logger'>;

/**
 * What {@link bullmqQueue}'s factory reads from the service context: any `ServiceContext` of
 * `@kenos/server` fits (the standard config key `queue.url`, env `REDIS_URL`).
 */
export interface BullmqQueueContext {
  /** The loaded config; `queue.url` is the Redis URL, `''` for no queue. */
  readonly config: { readonly queue: { readonly url: string } };
  /** The component's root logger. */
  readonly logger: JobsLogger;
}

/**
 * The `queue` factory of a service definition (`defineService({ queue: bullmqQueue() })`): makes
 * the BullMQ {@link BullmqJobQueue} on `config.queue.url` (env `REDIS_URL`) with the component's
 * root logger, or no queue (`undefined`) when `queue.url` is empty, so that the service runs
 * without Redis and `context.enqueue` answers 503. Every queue the process uses (the names given
 * to `enqueue` and `source`) gets its depth in the process's metrics (`kenos_queue_jobs`, read at
 * each scrape), until the queue is closed. Throws `JobsError` (`KENOS_ERR_JOBS_INVALID_ARGUMENT`)
 * for invalid options when the factory runs (the process then exits before it reports ready).
 * BullMQ is imported by the factory, and only when there is a queue: a process without `REDIS_URL`
 * never loads it.
 */
export function bullmqQueue(
  options: BullmqQueueOptions = {},
): (context: BullmqQueueContext) => Promise<BullmqJobQueue | undefined> {
  return async (context) => {
    const url = context.config.queue.url;
    if (url === '') return undefined;
    // BullMQ and ioredis (~25 MiB of resident memory) are loaded only by a process that has a queue
    const { createBullmqJobQueue } = await import('./bullmq-job-queue.js');
    const untrack: (() => void)[] = [];
    const queue = createBullmqJobQueue({
      ...options,
      url,
      logger: context.logger,
      onQueueUsed(queueName) {
        const stop = getProcessMetrics()?.trackQueueDepth(
          queueName,
          async () => {
            const [depth] = await queue.depth(queueName);
            return depth ?? {};
          },
        );
        if (stop) untrack.push(stop);
        options.onQueueUsed?.(queueName);
      },
    });
    const close = queue.close.bind(queue);
    return Object.assign(queue, {
      close(): Promise<void> {
        // a scrape during or after the shutdown reads no closed queue
        for (const stop of untrack.splice(0)) stop();
        return close();
      },
    });
  };
}
