import { Redis, type RedisOptions } from 'ioredis';
import type { JobsLogger, ResolvedBullmqOptions } from './bullmq-options.js';

const ERROR_LOG_INTERVAL_MS = 10_000;

/** Reconnects forever: after 100 ms, then up to one attempt per 2 s. */
const retryForever = (times: number): number => Math.min(times * 100, 2000);

/**
 * Logs a connection's errors, at most one line per {@link ERROR_LOG_INTERVAL_MS} (with the
 * number left out), and its return once it is ready again. Never throws: an outage of Redis
 * must not crash the process, and without an `error` listener an EventEmitter would.
 */
export function errorLogger(
  logger: JobsLogger | undefined,
  connection: string,
): { onError: (err: unknown) => void; onReady: () => void } {
  let lastLogAt = 0;
  let suppressed = 0;
  let failing = false;
  return {
    onError(err) {
      failing = true;
      const now = Date.now();
      if (now - lastLogAt < ERROR_LOG_INTERVAL_MS) {
        suppressed++;
        return;
      }
      lastLogAt = now;
      try {
        logger?.warn(
          { err, connection, suppressed },
          'job queue: Redis connection error; reconnecting',
        );
      } catch {
        // a failing logger must not turn a Redis outage into a crash
      }
      suppressed = 0;
    },
    onReady() {
      if (!failing) return;
      failing = false;
      suppressed = 0;
      lastLogAt = 0;
      try {
        logger?.info({ connection }, 'job queue: Redis connection is back');
      } catch {
        // see above
      }
    },
  };
}

function watch(
  redis: Redis,
  logger: JobsLogger | undefined,
  name: string,
): Redis {
  const log = errorLogger(logger, name);
  redis.on('error', log.onError);
  redis.on('ready', log.onReady);
  return redis;
}

/**
 * The producer's connection (enqueue, depth, health check): fails fast while Redis is down —
 * no offline queue, one try per command, `commandTimeoutMs` per command — and reconnects by itself.
 */
export function createProducerConnection(
  options: ResolvedBullmqOptions,
): Redis {
  const redisOptions: RedisOptions = {
    connectionName: `${options.prefix}:producer`,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: options.commandTimeoutMs,
    connectTimeout: Math.max(options.connectTimeoutMs, 1000),
    retryStrategy: retryForever,
  };
  return watch(
    new Redis(options.url, redisOptions),
    options.logger,
    'producer',
  );
}

/** The connections of one consumer (a BullMQ Worker), see {@link createConsumerConnection}. */
export interface ConsumerConnection {
  /** The template handed to the Worker. */
  readonly template: Redis;
  /** Whether every connection the Worker opened is ready (false while Redis is away). */
  readonly healthy: boolean;
  /** Resolves once a connection the Worker opened was lost (Redis went away). */
  readonly lost: Promise<void>;
  /** Disconnects the template and every connection the Worker opened; their pending commands reject. */
  disconnectAll(): void;
}

/**
 * The template of a consumer's connections: never connected itself (`lazyConnect`), BullMQ
 * duplicates it for its Worker (a command and a blocking connection) and owns those duplicates;
 * they are tracked so that a close during a Redis outage can cut them instead of hanging.
 * `maxRetriesPerRequest: null` (a BullMQ requirement): commands wait for the reconnection.
 */
export function createConsumerConnection(
  options: ResolvedBullmqOptions,
): ConsumerConnection {
  const redisOptions: RedisOptions = {
    lazyConnect: true,
    maxRetriesPerRequest: null,
    retryStrategy: retryForever,
  };
  const template = new Redis(options.url, redisOptions);
  template.on('error', () => undefined); // never connects
  const opened = new Set<Redis>();
  let onLost = (): void => undefined;
  const lost = new Promise<void>((resolve) => (onLost = resolve));
  const duplicate = template.duplicate.bind(template);
  template.duplicate = (override?: Partial<RedisOptions>): Redis => {
    const redis = duplicate(override);
    redis.once('reconnecting', onLost);
    opened.add(redis);
    return redis;
  };
  return {
    template,
    lost,
    get healthy() {
      return [...opened].every(
        (r) => r.status === 'ready' || r.status === 'wait',
      );
    },
    disconnectAll() {
      template.disconnect();
      for (const redis of opened) redis.disconnect();
    },
  };
}
