import type { HealthCheck } from '@kenos/lifecycle';
import type { JobSource } from './job-source.js';

/**
 * Where a job came from: set by `ServiceContext.enqueue` from the request, call or job that
 * enqueued it, carried inside the job by the queue engine, and restored by the worker, so the
 * job's span joins the request's trace and its log lines carry the origin request id.
 */
export interface JobOrigin {
  /** The enqueuing request's id (`request_id` of the job's log lines). */
  readonly requestId?: string;
  /** W3C `traceparent` of the enqueuing span (the job's span is its child). */
  readonly traceparent?: string;
  /** W3C `tracestate` of the enqueuing span. */
  readonly tracestate?: string;
  /** When the job was enqueued, epoch milliseconds (queue latency = start − this). */
  readonly enqueuedAt: number;
}

/** Options of `ServiceContext.enqueue` and {@link JobQueue.enqueue}. */
export interface EnqueueOptions {
  /**
   * Caller-chosen job id: enqueuing the same id again while the job exists creates no second job
   * and answers the same id (idempotent producers). Default a new random UUID.
   */
  id?: string;
  /** The job becomes runnable after this many milliseconds. Default `0`. */
  delayMs?: number;
  /**
   * Runs in all, the first included; a failed run is retried with exponential backoff until then,
   * and the job is then kept as failed (dead letter) with its error. Default `3`.
   */
  attempts?: number;
}

/** A job the queue accepted. */
export interface EnqueuedJob {
  /** The job id: the caller's `id`, else the one the queue made. Logged as `job_id` by the worker. */
  readonly id: string;
}

/**
 * A job queue engine behind the worker and the producer (the port; `@kenos/jobs` has the BullMQ
 * adapter). One instance per process, made by `ServiceDefinition.queue` and closed at shutdown.
 */
export interface JobQueue {
  /** Engine name for logs and docs, e.g. `bullmq`. */
  readonly engine: string;
  /**
   * Adds a job to queue `name`. Resolves once the engine stored it (the job is then never lost);
   * rejects fast with `UnavailableError` (503 / UNAVAILABLE) while the engine is unreachable.
   */
  enqueue<T>(
    name: string,
    payload: T,
    options: EnqueueOptions & { origin: JobOrigin },
  ): Promise<EnqueuedJob>;
  /** A source of queue `name`'s jobs for a worker; its `open` receives the worker's concurrency. */
  source<T>(name: string): JobSource<T>;
  /**
   * Reports whether the engine is reachable: critical (readiness) for workers, shown in `/health`
   * only for the api, whose enqueue fails fast instead.
   */
  healthCheck(): HealthCheck;
  /** Closes connections; called once at shutdown, after the transports stopped. */
  close(): Promise<void>;
}
