import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  redisPing,
  startRedis,
  TestingError,
  type RedisServer,
} from '../src/redis/index.js';

const servers: RedisServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

describe('startRedis', () => {
  it('starts a Redis that answers PING on 127.0.0.1 and removes its directory when stopped', async () => {
    const redis = await startRedis();
    servers.push(redis);
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(await redisPing(redis.port)).toBe(true);
    await redis.stop();
    expect(await redisPing(redis.port)).toBe(false);
    expect(existsSync(redis.dir)).toBe(false);
    await redis.stop();
  });

  it('brings a killed persistent Redis back on the same port', async () => {
    const redis = await startRedis({ persistent: true });
    servers.push(redis);
    await redis.kill();
    expect(redis.pid).toBeUndefined();
    expect(await redisPing(redis.port)).toBe(false);
    await redis.restart();
    expect(await redisPing(redis.port)).toBe(true);
    expect(existsSync(redis.dir)).toBe(true);
  });

  it('names the package to install when redis-server is missing', async () => {
    const err: unknown = await startRedis({
      command: '/nonexistent/redis-server',
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TestingError);
    expect((err as TestingError).code).toBe('KENOS_ERR_TESTING_REDIS_MISSING');
    expect((err as TestingError).message).toMatch(
      /install Debian's redis-server/,
    );
  });
});
