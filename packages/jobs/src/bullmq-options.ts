import { JobsError } from './jobs-error.js';

/**
 * Where `@kenos/jobs` logs what happens outside a call (a lost Redis connection, its return): a
 * pino logger such as a service's root logger fits.
 */
export interface JobsLogger {
  /** A connection is back. */
  info(obj: Record<string, unknown>, msg: string): void;
  /** A connection error (`err`), with the number of lines left out since the last one (`suppressed`). */
  warn(obj: Record<string, unknown>, msg: string): void;
}

/** Options of {@link createBullmqJobQueue}. */
export interface BullmqJobQueueOptions {
  /**
   * The Redis server: `redis://[[user]:password@]host[:port][/db]`, or `rediss://…` for TLS.
   * Required (the standard config key `queue.url`, env `REDIS_URL`).
   */
  url: string;
  /** Prefix of every Redis key of the queues, so that several fleets can share a Redis. Default `'kenos'`. */
  prefix?: string;
  /**
   * How long a consumer's lock on a running job lasts; the consumer renews it every half of this
   * while the job runs. A job whose consumer died is redelivered once its lock expired and the next
   * stalled-job check ran: within `lockDurationMs + stalledIntervalMs`. Default `15000`.
   */
  lockDurationMs?: number;
  /** How often each consumer looks for jobs whose lock expired (stalled jobs). Default `5000`. */
  stalledIntervalMs?: number;
  /**
   * How many times a job may stall (its consumer died or blocked its event loop for longer than
   * `lockDurationMs`) and be redelivered; one more stall fails it for good (a job that kills its
   * consumer every time ends as a dead letter). Default `2`.
   */
  maxStalledCount?: number;
  /**
   * Base of the exponential backoff between the runs of a failing job: retry n waits
   * `backoffDelayMs * 2^(n-1)` milliseconds. Default `1000`.
   */
  backoffDelayMs?: number;
  /** Runs in all of a job enqueued without `attempts`, the first included. Default `3`. */
  defaultAttempts?: number;
  /** How long completed jobs are kept (their ids stay taken for idempotent producers). Default `86400000` (1 day). */
  keepCompletedMs?: number;
  /** At most this many completed jobs are kept per queue. Default `10000`. */
  keepCompletedCount?: number;
  /** How long failed jobs (dead letters) are kept for inspection and retry. Default `604800000` (7 days). */
  keepFailedMs?: number;
  /** At most this many failed jobs (dead letters) are kept per queue. Default `10000`. */
  keepFailedCount?: number;
  /**
   * How long `enqueue` waits for the first connection to Redis right after start. Once the
   * connection was lost, `enqueue` rejects at once until it is back. Default `2000`.
   */
  connectTimeoutMs?: number;
  /**
   * Time allowed for a Redis command of the producer (`enqueue`, `depth`) and the health check's
   * `PING`; an unanswered command rejects with `UnavailableError`. Default `2000`.
   */
  commandTimeoutMs?: number;
  /** Logs connection errors (rate-limited: one line per connection per 10 s) and reconnections. Default none. */
  logger?: JobsLogger;
  /**
   * Called once for each queue name this process first uses (enqueues to, consumes or counts), e.g.
   * to track its depth in the metrics ({@link bullmqQueue} does). A throw is ignored. Default none.
   */
  onQueueUsed?: (queueName: string) => void;
}

/** The options with every default applied. */
export type ResolvedBullmqOptions = Required<
  Omit<BullmqJobQueueOptions, 'logger' | 'onQueueUsed'>
> &
  Pick<BullmqJobQueueOptions, 'logger' | 'onQueueUsed'>;

const DEFAULTS: Omit<ResolvedBullmqOptions, 'url' | 'logger' | 'onQueueUsed'> =
  {
    prefix: 'kenos',
    lockDurationMs: 15_000,
    stalledIntervalMs: 5_000,
    maxStalledCount: 2,
    backoffDelayMs: 1_000,
    defaultAttempts: 3,
    keepCompletedMs: 86_400_000,
    keepCompletedCount: 10_000,
    keepFailedMs: 604_800_000,
    keepFailedCount: 10_000,
    connectTimeoutMs: 2_000,
    commandTimeoutMs: 2_000,
  };

const invalid = (message: string): JobsError =>
  new JobsError('KENOS_ERR_JOBS_INVALID_ARGUMENT', message);

/** Merges `options` with the defaults (the one place) and validates them; throws `JobsError`. */
export function resolveBullmqOptions(
  options: BullmqJobQueueOptions,
): ResolvedBullmqOptions {
  if (typeof options?.url !== 'string' || options.url === '')
    throw invalid(
      'createBullmqJobQueue needs `url`, e.g. redis://127.0.0.1:6379',
    );
  let protocol: string;
  try {
    protocol = new URL(options.url).protocol;
  } catch (err) {
    throw new JobsError(
      'KENOS_ERR_JOBS_INVALID_ARGUMENT',
      'the Redis `url` is not a valid URL (expected redis://host:port or rediss://host:port)',
      { cause: err },
    );
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:')
    throw invalid(
      `the Redis \`url\` must start with redis:// or rediss:// (TLS), not ${protocol}//`,
    );
  const resolved: ResolvedBullmqOptions = { ...DEFAULTS, url: options.url };
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) Object.assign(resolved, { [key]: value });
  }
  if (
    typeof resolved.prefix !== 'string' ||
    resolved.prefix === '' ||
    resolved.prefix.includes(':')
  )
    throw invalid('`prefix` must be a non-empty string without ":"');
  for (const key of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
    if (key === 'prefix') continue;
    const value = resolved[key];
    const min = key === 'maxStalledCount' || key === 'backoffDelayMs' ? 0 : 1;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
      throw invalid(
        `\`${key}\` must be an integer ≥ ${min}, got ${String(value)}`,
      );
  }
  if (resolved.stalledIntervalMs >= resolved.lockDurationMs)
    throw invalid(
      `\`stalledIntervalMs\` (${resolved.stalledIntervalMs}) must be below \`lockDurationMs\` (${resolved.lockDurationMs})`,
    );
  return resolved;
}
