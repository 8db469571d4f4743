import type { Job, JobOrigin, JobSource } from '@kenos/server';
import { WaitingError, Worker, type Job as BullJob } from 'bullmq';
import type { ResolvedBullmqOptions } from './bullmq-options.js';
import { fromBullmqJobId } from './job-id.js';
import { JobsError } from './jobs-error.js';
import {
  createConsumerConnection,
  errorLogger,
  type ConsumerConnection,
} from './redis-connections.js';

/** How long `close` lets the Worker finish its acknowledgements before it cuts its connections. */
const CLOSE_TIMEOUT_MS = 5000;

/** What BullMQ stores as a job's data. */
export interface StoredJobData {
  payload: unknown;
  origin?: JobOrigin;
}

/** A job BullMQ handed to the processor, waiting to be taken by `next` or settled. */
interface Delivery {
  readonly bullJob: BullJob<StoredJobData>;
  readonly token: string | undefined;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
  job?: Job<unknown>;
}

/**
 * A {@link JobSource} on a BullMQ `Worker`. BullMQ calls the processor with each job it locked;
 * the processor parks the job for `next` and returns only when `complete` or `fail` settles it,
 * so BullMQ acknowledges (completes) it after `complete`, retries or dead-letters it after `fail`,
 * and renews its lock meanwhile. Once `next`'s signal aborted (the worker is stopping), jobs not
 * taken and jobs that fail are handed back to the queue (moved to waiting, no attempt used).
 */
export class BullmqJobSource<T> implements JobSource<T> {
  readonly #name: string;
  readonly #options: ResolvedBullmqOptions;
  readonly #connection: ConsumerConnection;
  readonly #log: ReturnType<typeof errorLogger>;
  readonly #parked: Delivery[] = [];
  readonly #waiters: ((d: Delivery | undefined) => void)[] = [];
  readonly #taken = new Map<Job<T>, Delivery>();
  #worker: Worker<StoredJobData> | undefined;
  readonly #signals = new WeakSet<AbortSignal>();
  #stopping = false;
  #closing: Promise<void> | undefined;

  constructor(name: string, options: ResolvedBullmqOptions) {
    this.#name = name;
    this.#options = options;
    this.#connection = createConsumerConnection(options);
    this.#log = errorLogger(options.logger, `worker:${name}`);
  }

  open(options: { readonly concurrency: number }): void {
    if (this.#closing)
      throw new JobsError(
        'KENOS_ERR_JOBS_CLOSED',
        `the job source of queue "${this.#name}" is closed`,
      );
    if (this.#worker) return;
    const o = this.#options;
    const worker = new Worker<StoredJobData>(
      this.#name,
      (job, token) => this.#process(job, token),
      {
        connection: this.#connection.template,
        prefix: o.prefix,
        concurrency: Math.max(1, options.concurrency),
        autorun: true,
        lockDuration: o.lockDurationMs,
        stalledInterval: o.stalledIntervalMs,
        maxStalledCount: o.maxStalledCount,
        // retries of a failed acknowledgement (moveToCompleted while Redis is away)
        runRetryDelay: 1000,
      },
    );
    worker.on('error', this.#log.onError);
    worker.on('ready', this.#log.onReady);
    this.#worker = worker;
  }

  async next(signal: AbortSignal): Promise<Job<T> | undefined> {
    if (!this.#worker && !this.#closing) this.open({ concurrency: 1 });
    if (this.#stopping || signal.aborted) {
      this.#stop();
      return undefined;
    }
    if (!this.#signals.has(signal)) {
      this.#signals.add(signal);
      signal.addEventListener('abort', () => this.#stop(), { once: true });
    }
    const delivery =
      this.#parked.shift() ??
      (await new Promise<Delivery | undefined>((resolve) =>
        this.#waiters.push(resolve),
      ));
    if (!delivery) return undefined;
    const data = delivery.bullJob.data ?? { payload: undefined };
    const job: Job<T> = {
      id: fromBullmqJobId(String(delivery.bullJob.id)),
      payload: data.payload as T,
      ...(data.origin === undefined ? {} : { origin: data.origin }),
      attempt: delivery.bullJob.attemptsMade + 1,
    };
    this.#taken.set(job, delivery);
    return job;
  }

  complete(job: Job<T>): void {
    const delivery = this.#taken.get(job);
    this.#taken.delete(job);
    delivery?.resolve();
  }

  async fail(job: Job<T>, error: unknown): Promise<void> {
    const delivery = this.#taken.get(job);
    this.#taken.delete(job);
    if (!delivery) return;
    if (this.#stopping) {
      await this.#handBack(delivery);
      return;
    }
    delivery.reject(
      error instanceof Error
        ? error
        : new Error(String(error), { cause: error }),
    );
  }

  /**
   * Closes the Worker once the taken jobs settled (their acknowledgements are written); while
   * Redis is away (or once it goes away), or when that takes longer than 5 s, cuts its
   * connections: a job whose acknowledgement was not written is redelivered once its lock expired.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#stop();
      // taken and never settled (the worker transport settles them all before close): not lost
      const unsettled = [...this.#taken.values()];
      this.#taken.clear();
      await Promise.all(unsettled.map((d) => this.#handBack(d)));
      const worker = this.#worker;
      const connection = this.#connection;
      if (worker) {
        if (!connection.healthy) connection.disconnectAll();
        const closed = worker.close().catch(() => undefined);
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, CLOSE_TIMEOUT_MS);
        });
        await Promise.race([closed, timedOut, connection.lost]);
        connection.disconnectAll();
        await Promise.race([closed, new Promise((r) => setTimeout(r, 1000))]);
        clearTimeout(timer);
      }
      connection.disconnectAll();
    })();
    return this.#closing;
  }

  /** BullMQ's processor: parks the job until `complete`/`fail`, or hands it back when stopping. */
  #process(
    bullJob: BullJob<StoredJobData>,
    token: string | undefined,
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const delivery: Delivery = { bullJob, token, resolve, reject };
      if (this.#stopping) {
        void this.#handBack(delivery);
        return;
      }
      const waiter = this.#waiters.shift();
      if (waiter) waiter(delivery);
      else this.#parked.push(delivery);
    });
  }

  /**
   * Moves the job back to waiting (front of the queue, no attempt used), then ends its processor
   * with BullMQ's `WaitingError`, which tells the Worker the job has moved. When Redis does not
   * answer within `commandTimeoutMs`, the job stays active until its lock expires and is
   * redelivered as a stalled job.
   */
  async #handBack(delivery: Delivery): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        delivery.bullJob.moveToWait(delivery.token),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error('Redis did not answer the hand-back')),
            this.#options.commandTimeoutMs,
          );
        }),
      ]);
    } catch (err) {
      this.#log.onError(err);
    } finally {
      clearTimeout(timer);
    }
    delivery.reject(new WaitingError());
  }

  /** Stops fetching: pauses the Worker without waiting for its jobs, hands back the parked ones. */
  #stop(): void {
    if (this.#stopping) return;
    this.#stopping = true;
    void this.#worker?.pause(true).catch(() => undefined);
    for (const waiter of this.#waiters.splice(0)) waiter(undefined);
    for (const delivery of this.#parked.splice(0))
      void this.#handBack(delivery);
  }
}
