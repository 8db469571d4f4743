import {
  UnavailableError,
  type EnqueuedJob,
  type EnqueueOptions,
  type HealthCheck,
  type JobOrigin,
  type JobQueue,
  type JobSource,
} from '@kenos/server';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import {
  resolveBullmqOptions,
  type BullmqJobQueueOptions,
  type ResolvedBullmqOptions,
} from './bullmq-options.js';
import { BullmqJobSource, type StoredJobData } from './bullmq-job-source.js';
import { toBullmqJobId } from './job-id.js';
import { JobsError } from './jobs-error.js';
import { createProducerConnection } from './redis-connections.js';

/** Jobs of one queue by state, from {@link BullmqJobQueue.depth}. */
export interface QueueDepth {
  /** The queue name. */
  readonly queue: string;
  /** Runnable, not taken yet. */
  readonly waiting: number;
  /** Taken by a consumer (locked). */
  readonly active: number;
  /** Waiting for their `delayMs` or their retry backoff. */
  readonly delayed: number;
  /** Dead letters: attempts exhausted, kept for inspection and retry. */
  readonly failed: number;
}

/** The BullMQ {@link JobQueue}: the port plus {@link BullmqJobQueue.depth}. */
export interface BullmqJobQueue extends JobQueue {
  /** Always `'bullmq'`. */
  readonly engine: 'bullmq';
  /**
   * Jobs by state of queue `queueName`, or of every queue this process enqueued to or consumes
   * (in the order first used). Rejects with `UnavailableError` while Redis is unreachable.
   */
  depth(queueName?: string): Promise<QueueDepth[]>;
}

const checkName = (name: string): void => {
  if (typeof name !== 'string' || name === '' || name.includes(':'))
    throw new JobsError(
      'KENOS_ERR_JOBS_INVALID_ARGUMENT',
      `a queue name must be a non-empty string without ":", got ${JSON.stringify(name)}`,
    );
};

/**
 * Creates the BullMQ-on-Redis {@link JobQueue}: `enqueue` stores a job in one Redis round trip and
 * fails fast with `UnavailableError` while Redis is down; `source(name)` consumes with a BullMQ
 * `Worker` (at-least-once: a job is acknowledged after `complete`, retried with exponential
 * backoff after `fail`, kept as failed when its attempts are exhausted, redelivered within
 * `lockDurationMs + stalledIntervalMs` when its consumer died). Throws `JobsError`
 * (`KENOS_ERR_JOBS_INVALID_ARGUMENT`) for invalid options. Connects at once, never throws for an
 * unreachable Redis: it reconnects by itself.
 */
export function createBullmqJobQueue(
  options: BullmqJobQueueOptions,
): BullmqJobQueue {
  const o: ResolvedBullmqOptions = resolveBullmqOptions(options);
  const producer = createProducerConnection(o);
  /** The producer connection's last error: the cause of an `UnavailableError` while it is down. */
  let lastError: unknown;
  producer.on('error', (err: unknown) => (lastError = err));
  producer.on('ready', () => (lastError = undefined));
  const cause = (status: string): unknown =>
    lastError ?? new Error(`the Redis connection of the producer is ${status}`);
  const queues = new Map<string, Queue<StoredJobData>>();
  const sources: BullmqJobSource<unknown>[] = [];
  const used = new Set<string>();
  const use = (name: string): void => {
    if (used.has(name)) return;
    used.add(name);
    try {
      o.onQueueUsed?.(name);
    } catch {
      // a hook's failure (e.g. of the metrics) never fails a queue operation
    }
  };
  let closing: Promise<void> | undefined;

  const unavailable = (what: string, cause?: unknown): UnavailableError =>
    new UnavailableError(`the job queue (Redis) is unavailable: ${what}`, {
      cause,
    });

  const assertOpen = (): void => {
    if (closing)
      throw new JobsError('KENOS_ERR_JOBS_CLOSED', 'the job queue is closed');
  };

  /** Resolves once the producer is connected; rejects fast once a connection was lost. */
  const producerReady = async (): Promise<void> => {
    const status = producer.status;
    if (status === 'ready') return;
    if (status !== 'wait' && status !== 'connecting' && status !== 'connect')
      throw unavailable(`not connected (${status})`, cause(status));
    await new Promise<void>((resolve, reject) => {
      const done = (err?: Error): void => {
        clearTimeout(timer);
        producer.off('ready', onReady);
        producer.off('close', onClose);
        if (err) reject(err);
        else resolve();
      };
      const onReady = (): void => done();
      const onClose = (): void =>
        done(unavailable('the connection failed', cause(producer.status)));
      const timer = setTimeout(
        () =>
          done(
            unavailable(
              `not connected within ${o.connectTimeoutMs} ms`,
              cause(producer.status),
            ),
          ),
        o.connectTimeoutMs,
      );
      producer.once('ready', onReady);
      producer.once('close', onClose);
    });
  };

  const queueOf = (name: string): Queue<StoredJobData> => {
    let queue = queues.get(name);
    if (!queue) {
      queue = new Queue<StoredJobData>(name, {
        connection: producer,
        prefix: o.prefix,
        // no INFO on creation, no wait for ready: enqueue stays one round trip and fails fast
        skipVersionCheck: true,
        skipWaitingForReady: true,
      });
      queue.on('error', () => undefined); // logged by the producer connection's listener
      queues.set(name, queue);
    }
    use(name);
    return queue;
  };

  return {
    engine: 'bullmq',

    async enqueue<T>(
      name: string,
      payload: T,
      options: EnqueueOptions & { origin: JobOrigin },
    ): Promise<EnqueuedJob> {
      assertOpen();
      checkName(name);
      const id = options.id ?? randomUUID();
      if (typeof id !== 'string' || id === '')
        throw new JobsError(
          'KENOS_ERR_JOBS_INVALID_ARGUMENT',
          'a job id must be a non-empty string',
        );
      const attempts = options.attempts ?? o.defaultAttempts;
      if (!Number.isInteger(attempts) || attempts < 1)
        throw new JobsError(
          'KENOS_ERR_JOBS_INVALID_ARGUMENT',
          `attempts must be an integer ≥ 1, got ${attempts}`,
        );
      const delay = options.delayMs ?? 0;
      if (!Number.isFinite(delay) || delay < 0)
        throw new JobsError(
          'KENOS_ERR_JOBS_INVALID_ARGUMENT',
          `delayMs must be ≥ 0, got ${delay}`,
        );
      await producerReady();
      try {
        await queueOf(name).add(
          name,
          { payload, origin: options.origin },
          {
            jobId: toBullmqJobId(id),
            delay: Math.round(delay),
            attempts,
            backoff: { type: 'exponential', delay: o.backoffDelayMs },
            removeOnComplete: {
              age: Math.ceil(o.keepCompletedMs / 1000),
              count: o.keepCompletedCount,
            },
            removeOnFail: {
              age: Math.ceil(o.keepFailedMs / 1000),
              count: o.keepFailedCount,
            },
          },
        );
      } catch (err) {
        throw unavailable(`could not store a job of queue "${name}"`, err);
      }
      return { id };
    },

    source<T>(name: string): JobSource<T> {
      assertOpen();
      checkName(name);
      use(name);
      const source = new BullmqJobSource<T>(name, o);
      sources.push(source as BullmqJobSource<unknown>);
      return source;
    },

    healthCheck(): HealthCheck {
      return {
        name: 'queue',
        async check(signal: AbortSignal) {
          const aborted = new Promise<never>((_, reject) => {
            const onAbort = (): void =>
              reject(unavailable('no PONG before the check timed out'));
            if (signal.aborted) onAbort();
            else signal.addEventListener('abort', onAbort, { once: true });
          });
          aborted.catch(() => undefined);
          try {
            await Promise.race([producerReady(), aborted]);
            await Promise.race([producer.ping(), aborted]);
          } catch (err) {
            throw err instanceof UnavailableError
              ? err
              : unavailable('PING failed', err);
          }
        },
      };
    },

    async depth(queueName?: string): Promise<QueueDepth[]> {
      assertOpen();
      const names = queueName === undefined ? [...used] : [queueName];
      names.forEach(checkName);
      await producerReady();
      try {
        return await Promise.all(
          names.map(async (queue) => {
            const c = await queueOf(queue).getJobCounts(
              'waiting',
              'active',
              'delayed',
              'failed',
            );
            return {
              queue,
              waiting: c['waiting'] ?? 0,
              active: c['active'] ?? 0,
              delayed: c['delayed'] ?? 0,
              failed: c['failed'] ?? 0,
            };
          }),
        );
      } catch (err) {
        throw unavailable('could not count the jobs', err);
      }
    },

    close(): Promise<void> {
      closing ??= (async () => {
        await Promise.allSettled(sources.map((s) => s.close()));
        await Promise.allSettled([...queues.values()].map((q) => q.close()));
        producer.disconnect();
      })();
      return closing;
    },
  };
}
