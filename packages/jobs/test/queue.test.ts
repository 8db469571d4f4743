import type { Job } from '@kenos/server';
import { startRedis, type RedisServer } from '@kenos/testing/redis';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBullmqJobQueue,
  JobsError,
  type BullmqJobQueue,
} from '../src/index.js';
import { consume, origin, waitFor } from './consume.js';

let redis: RedisServer;
let queue: BullmqJobQueue;
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  redis = await startRedis();
  queue = createBullmqJobQueue({
    url: redis.url,
    backoffDelayMs: 50,
    lockDurationMs: 3000,
    stalledIntervalMs: 1000,
  });
});

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  await queue?.close();
  await redis?.stop();
});

/** A BullMQ Queue of the test's own, to look at the stored jobs. */
function inspect(name: string): Queue {
  const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
  const q = new Queue(name, { connection, prefix: 'kenos' });
  closers.push(async () => {
    await q.close();
    connection.disconnect();
  });
  return q;
}

describe('createBullmqJobQueue', () => {
  it('delivers an enqueued job with its payload, origin and attempt 1', async () => {
    const o = origin('req-roundtrip');
    const { id } = await queue.enqueue('deliver', { n: 1 }, { origin: o });
    const seen: Job<{ n: number }>[] = [];
    const consumer = consume<{ n: number }>(
      queue.source('deliver'),
      async (job) => {
        seen.push(job);
      },
    );
    await waitFor(() => seen.length === 1, 10_000, 'the job');
    await consumer.stop();
    expect(seen[0]).toEqual({ id, payload: { n: 1 }, origin: o, attempt: 1 });
    expect(await queue.depth('deliver')).toEqual([
      { queue: 'deliver', waiting: 0, active: 0, delayed: 0, failed: 0 },
    ]);
  });

  it('retries a failing job with backoff until it completes', async () => {
    const { id } = await queue.enqueue('retry', 'x', {
      origin: origin(),
      attempts: 3,
    });
    const attempts: number[] = [];
    const consumer = consume(queue.source('retry'), async (job) => {
      attempts.push(job.attempt ?? 0);
      if (attempts.length < 3) throw new Error(`failure ${attempts.length}`);
    });
    await waitFor(() => attempts.length === 3, 10_000, 'three runs');
    const stored = inspect('retry');
    await waitFor(
      async () => (await stored.getJobState(id)) === 'completed',
      5000,
      'completed',
    );
    await consumer.stop();
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('keeps a job whose attempts are exhausted as failed with its error (dead letter)', async () => {
    const { id } = await queue.enqueue('dead', 'x', {
      origin: origin(),
      attempts: 2,
    });
    let runs = 0;
    const consumer = consume(queue.source('dead'), async () => {
      runs++;
      throw new Error('the payment provider said no');
    });
    await waitFor(
      async () => (await queue.depth('dead'))[0]?.failed === 1,
      10_000,
      'the dead letter',
    );
    await consumer.stop();
    expect(runs).toBe(2);
    const failed = await inspect('dead').getJob(id);
    expect(failed?.failedReason).toBe('the payment provider said no');
    expect(failed?.attemptsMade).toBe(2);
  });

  it('creates one job and answers the same id when an id is enqueued twice, any id', async () => {
    for (const id of ['order:42', '123', '100%:x']) {
      const first = await queue.enqueue(
        'idem',
        { id },
        { id, origin: origin() },
      );
      const second = await queue.enqueue(
        'idem',
        { id, again: true },
        { id, origin: origin() },
      );
      expect([first.id, second.id]).toEqual([id, id]);
    }
    expect((await queue.depth('idem'))[0]?.waiting).toBe(3);
    const seen: Job<unknown>[] = [];
    const consumer = consume(
      queue.source('idem'),
      async (job) => void seen.push(job),
    );
    await waitFor(() => seen.length === 3, 10_000, 'three jobs');
    await consumer.stop();
    expect(seen.map((j) => [j.id, j.payload])).toEqual([
      ['order:42', { id: 'order:42' }],
      ['123', { id: '123' }],
      ['100%:x', { id: '100%:x' }],
    ]);
    // a completed job keeps its id taken (idempotency within the retention)
    await queue.enqueue('idem', 'late duplicate', {
      id: 'order:42',
      origin: origin(),
    });
    expect((await queue.depth('idem'))[0]?.waiting).toBe(0);
  });

  it('runs a delayed job only after its delay', async () => {
    const enqueuedAt = Date.now();
    await queue.enqueue('later', 'x', { origin: origin(), delayMs: 1000 });
    expect((await queue.depth('later'))[0]?.delayed).toBe(1);
    let ranAt = 0;
    const consumer = consume(
      queue.source('later'),
      async () => void (ranAt = Date.now()),
    );
    await waitFor(() => ranAt > 0, 10_000, 'the delayed job');
    await consumer.stop();
    expect(ranAt - enqueuedAt).toBeGreaterThanOrEqual(1000);
  });

  it('stores a job in one Redis round trip', async () => {
    await queue.enqueue('trips', 'warm-up', { origin: origin() });
    const admin = new Redis(redis.url);
    const monitor = await admin.monitor();
    closers.push(async () => {
      monitor.disconnect();
      admin.disconnect();
    });
    const clients = (await admin.client('LIST')) as string;
    const producer = clients
      .split('\n')
      .find((line) => line.includes('name=kenos:producer'))
      ?.match(/addr=(\S+)/)?.[1];
    expect(producer).toBeDefined();
    const commands: string[] = [];
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      if (source === producer) commands.push(String(args[0]).toLowerCase());
    });
    for (let i = 0; i < 10; i++)
      await queue.enqueue('trips', i, { origin: origin() });
    await queue.enqueue('trips', 'dup', { id: 'same', origin: origin() });
    await queue.enqueue('trips', 'dup', { id: 'same', origin: origin() });
    await new Promise((r) => setTimeout(r, 200));
    // commands run inside the Lua script come from the script, not from the producer's socket
    expect(commands).toEqual(Array(12).fill('evalsha'));
  });

  it('lists the depth of every queue it used', async () => {
    const names = (await queue.depth()).map((d) => d.queue);
    expect(names).toEqual([
      'deliver',
      'retry',
      'dead',
      'idem',
      'later',
      'trips',
    ]);
  });

  it('rejects invalid options, queue names and arguments with JobsError', async () => {
    const code = (fn: () => unknown): unknown => {
      try {
        fn();
      } catch (err) {
        return err instanceof JobsError ? err.code : err;
      }
      return 'no error';
    };
    expect(code(() => createBullmqJobQueue({ url: 'http://x' }))).toBe(
      'KENOS_ERR_JOBS_INVALID_ARGUMENT',
    );
    expect(
      code(() => createBullmqJobQueue({ url: redis.url, lockDurationMs: 0 })),
    ).toBe('KENOS_ERR_JOBS_INVALID_ARGUMENT');
    expect(code(() => queue.source('a:b'))).toBe(
      'KENOS_ERR_JOBS_INVALID_ARGUMENT',
    );
    await expect(
      queue.enqueue('q', 1, { origin: origin(), attempts: 0 }),
    ).rejects.toMatchObject({ code: 'KENOS_ERR_JOBS_INVALID_ARGUMENT' });
  });
});
