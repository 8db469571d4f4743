import { UnavailableError } from '@kenos/server';
import { startRedis, type RedisServer } from '@kenos/testing/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBullmqJobQueue, type BullmqJobQueue } from '../src/index.js';
import { consume, origin, waitFor, type Consumer } from './consume.js';

const LOCK_DURATION_MS = 3000;
const STALLED_INTERVAL_MS = 1000;
const COMMAND_TIMEOUT_MS = 1000;

let redis: RedisServer;
let queue: BullmqJobQueue;
let consumer: Consumer | undefined;
const warnings: string[] = [];

beforeAll(async () => {
  redis = await startRedis({ persistent: true });
  queue = createBullmqJobQueue({
    url: redis.url,
    backoffDelayMs: 50,
    lockDurationMs: LOCK_DURATION_MS,
    stalledIntervalMs: STALLED_INTERVAL_MS,
    commandTimeoutMs: COMMAND_TIMEOUT_MS,
    logger: {
      info: () => undefined,
      warn: (_o, msg) => void warnings.push(msg),
    },
  });
});

afterAll(async () => {
  await consumer?.stop(1000);
  await queue?.close();
  await redis?.stop();
});

describe('a Redis outage', () => {
  it('fails enqueue fast and the health check, and completes every accepted job after the restart', async () => {
    const health = queue.healthCheck();
    expect(health.name).toBe('queue');
    await health.check(AbortSignal.timeout(1000));

    const accepted: string[] = [];
    for (let i = 0; i < 10; i++)
      accepted.push(
        (await queue.enqueue('outage', i, { origin: origin() })).id,
      );
    const done = new Set<string>();
    consumer = consume(queue.source<number>('outage'), async (job) => {
      await new Promise((r) => setTimeout(r, 200));
      done.add(job.id);
    });
    await waitFor(() => done.size >= 2, 10_000, 'the first jobs');

    // SIGKILL: only what Redis acknowledged (appendfsync always) survives
    await redis.kill();
    const started = Date.now();
    const err: unknown = await queue
      .enqueue('outage', 'lost', { origin: origin() })
      .catch((e: unknown) => e);
    const failedAfter = Date.now() - started;
    expect(err).toBeInstanceOf(UnavailableError);
    expect((err as UnavailableError).code).toBe('KENOS_ERR_SERVER_UNAVAILABLE');
    expect((err as UnavailableError).httpStatus).toBe(503);
    expect((err as UnavailableError).cause).toBeInstanceOf(Error);
    expect(failedAfter).toBeLessThan(COMMAND_TIMEOUT_MS + 1000);
    await waitFor(
      () =>
        health.check(AbortSignal.timeout(1000)).then(
          () => false,
          () => true,
        ),
      5000,
      'the health check to fail',
    );
    await expect(queue.depth('outage')).rejects.toBeInstanceOf(
      UnavailableError,
    );

    // the consumer keeps running through the outage
    await new Promise((r) => setTimeout(r, 2000));
    await redis.restart();

    await waitFor(
      () => accepted.every((id) => done.has(id)),
      LOCK_DURATION_MS + STALLED_INTERVAL_MS + 15_000,
      'every accepted job',
    );
    await waitFor(
      () =>
        health.check(AbortSignal.timeout(1000)).then(
          () => true,
          () => false,
        ),
      5000,
      'the health check to pass',
    );
    await waitFor(
      async () => {
        const [d] = await queue.depth('outage');
        return d?.waiting === 0 && d.active === 0 && d.delayed === 0;
      },
      LOCK_DURATION_MS + STALLED_INTERVAL_MS + 10_000,
      'an empty queue',
    );
    expect((await queue.depth('outage'))[0]?.failed).toBe(0);
    expect(warnings).toContain(
      'job queue: Redis connection error; reconnecting',
    );
    expect(
      (await queue.enqueue('outage', 'after', { origin: origin() })).id,
    ).toBeDefined();
  }, 60_000);

  it('closes a consumer and the queue while Redis is down', async () => {
    await consumer?.stop(1000);
    consumer = undefined;
    const local = createBullmqJobQueue({ url: redis.url });
    const done: string[] = [];
    const { id } = await local.enqueue('closing', 1, { origin: origin() });
    const c = consume(
      local.source('closing'),
      async (job) => void done.push(job.id),
    );
    await waitFor(() => done.length === 1, 10_000, 'the job');
    expect(done).toEqual([id]);
    await redis.kill();
    const started = Date.now();
    await c.stop(1000);
    await local.close();
    await local.close();
    // cut at once when Redis went away (the bound is 5 s otherwise)
    expect(Date.now() - started).toBeLessThan(4000);
    await expect(
      local.enqueue('closing', 2, { origin: origin() }),
    ).rejects.toMatchObject({
      code: 'KENOS_ERR_JOBS_CLOSED',
    });
    await redis.restart();
  }, 30_000);

  it('redelivers after the outage a job aborted at the shutdown deadline while Redis was down', async () => {
    const local = createBullmqJobQueue({
      url: redis.url,
      lockDurationMs: LOCK_DURATION_MS,
      stalledIntervalMs: STALLED_INTERVAL_MS,
      commandTimeoutMs: COMMAND_TIMEOUT_MS,
    });
    try {
      const { id } = await local.enqueue('deadline', 1, { origin: origin() });
      let started = false;
      const first = consume(local.source('deadline'), async (_job, signal) => {
        started = true;
        await new Promise((_, reject) =>
          signal.addEventListener('abort', () => reject(new Error('aborted')), {
            once: true,
          }),
        );
      });
      await waitFor(() => started, 10_000, 'the job to start');
      await redis.kill();
      const stopping = Date.now();
      await first.stop(500);
      // the deadline, the hand-back's command timeout, the cut connections
      expect(Date.now() - stopping).toBeLessThan(
        500 + COMMAND_TIMEOUT_MS + 3000,
      );
      await redis.restart();
      const seen: string[] = [];
      const second = consume(
        local.source('deadline'),
        async (job) => void seen.push(job.id),
      );
      await waitFor(
        () => seen.includes(id),
        LOCK_DURATION_MS + STALLED_INTERVAL_MS + 5000,
        'the redelivery',
      );
      await second.stop();
    } finally {
      await local.close();
    }
  }, 60_000);
});
