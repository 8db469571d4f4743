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

/**
 * The template of the consumers' connections: never connected itself (`lazyConnect`), BullMQ
 * duplicates it for each Worker (a command and a blocking connection) and owns those duplicates.
 * `maxRetriesPerRequest: null` (a BullMQ requirement): commands wait for the reconnection.
 */
export function createConsumerConnection(
  options: ResolvedBullmqOptions,
): Redis {
  const redisOptions: RedisOptions = {
    lazyConnect: true,
    maxRetriesPerRequest: null,
    retryStrategy: retryForever,
  };
  return watch(
    new Redis(options.url, redisOptions),
    options.logger,
    'consumer',
  );
}
