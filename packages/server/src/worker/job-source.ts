import type { JobOrigin } from './job-queue.js';

/** One unit of work taken from a {@link JobSource}. */
export interface Job<T> {
  /** Stable id, logged with every line of the job (`job_id`). */
  readonly id: string;
  /** The job's data. */
  readonly payload: T;
  /** Where the job was enqueued (request id, trace context, time), when the source knows it. */
  readonly origin?: JobOrigin;
  /** Which run this is, from 1; above 1 for a retry or a redelivery. Default `1`. */
  readonly attempt?: number;
}

/**
 * Where a worker takes jobs from. A queue adapter (SQS, Kafka, Redis streams …)
 * implements these four methods: `next` long-polls, `complete`/`fail`
 * acknowledge (delete / make visible again), `close` releases connections.
 */
export interface JobSource<T> {
  /**
   * Optional. Called once by the worker before the first `next`, with the worker's concurrency, so
   * that a source that fetches ahead (a queue engine's consumer) never holds more jobs than run.
   */
  open?(options: { readonly concurrency: number }): Promise<void> | void;
  /**
   * Resolves with the next job, waiting until one is available; resolves
   * `undefined` when `signal` aborts (the worker is stopping) or the source is closed.
   */
  next(signal: AbortSignal): Promise<Job<T> | undefined>;
  /** The job finished; acknowledge it. */
  complete(job: Job<T>): Promise<void> | void;
  /** The job failed or was aborted; give it back or dead-letter it. */
  fail(job: Job<T>, error: unknown): Promise<void> | void;
  /** Releases the source's resources once the worker stopped. */
  close?(): Promise<void> | void;
}

/** An in-memory {@link JobSource}: for tests, demos and work produced inside the process. */
export interface InProcessJobSource<T> extends JobSource<T> {
  /** Enqueues a job; returns its id. */
  push(payload: T): string;
  /** Jobs waiting to be taken. */
  readonly size: number;
  /** Jobs completed and failed so far, in order. */
  readonly completed: readonly Job<T>[];
  readonly failed: readonly { job: Job<T>; error: unknown }[];
  /** Ends waiting `next` calls with `undefined`; later `next` calls return `undefined`. */
  close(): void;
}

/** Creates an {@link InProcessJobSource}, optionally seeded with payloads. */
export function createInProcessJobSource<T>(
  initial: Iterable<T> = [],
): InProcessJobSource<T> {
  const queue: Job<T>[] = [];
  const waiters: ((job: Job<T> | undefined) => void)[] = [];
  const completed: Job<T>[] = [];
  const failed: { job: Job<T>; error: unknown }[] = [];
  let seq = 0;
  let closed = false;
  const push = (payload: T): string => {
    const job = { id: `job-${++seq}`, payload };
    const waiter = waiters.shift();
    if (waiter) waiter(job);
    else queue.push(job);
    return job.id;
  };
  for (const p of initial) push(p);
  return {
    push,
    get size() {
      return queue.length;
    },
    completed,
    failed,
    next(signal) {
      if (closed || signal.aborted) return Promise.resolve(undefined);
      const job = queue.shift();
      if (job) return Promise.resolve(job);
      return new Promise((resolve) => {
        const waiter = (j: Job<T> | undefined): void => {
          signal.removeEventListener('abort', onAbort);
          resolve(j);
        };
        const onAbort = (): void => {
          const i = waiters.indexOf(waiter);
          if (i >= 0) waiters.splice(i, 1);
          resolve(undefined);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        waiters.push(waiter);
      });
    },
    complete: (job) => void completed.push(job),
    fail: (job, error) => void failed.push({ job, error }),
    close() {
      closed = true;
      for (const w of waiters.splice(0)) w(undefined);
    },
  };
}
