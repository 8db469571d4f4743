/**
 * `@kenos/testing/redis`: a real Redis server for tests of job queues. `startRedis` runs Debian's
 * `redis-server` on `127.0.0.1` with a free port and a temporary data directory, and can restart
 * or kill it to test outages. It imports no `@kenos` package and no other dependency.
 *
 * @packageDocumentation
 */
export { startRedis } from './start-redis.js';
export type { RedisOptions, RedisServer } from './start-redis.js';
export { redisPing } from './redis-ping.js';
export { TestingError } from '../testing-error.js';
export type { TestingErrorCode } from '../testing-error.js';
