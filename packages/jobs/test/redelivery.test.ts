import { spawnNode, stopAllProcesses } from '@kenos/testing/process';
import { startRedis, type RedisServer } from '@kenos/testing/redis';
import type { Job } from '@kenos/server';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBullmqJobQueue, type BullmqJobQueue } from '../src/index.js';
import { consume, origin, waitFor } from './consume.js';

const FIXTURE = fileURLToPath(
  new URL('fixtures/consumer.mjs', import.meta.url),
);
// the documented defaults: a dead consumer's job is redelivered within 15 s + 5 s
const LOCK_DURATION_MS = 15_000;
const STALLED_INTERVAL_MS = 5_000;

let redis: RedisServer;
let queue: BullmqJobQueue;

beforeAll(async () => {
  redis = await startRedis();
  queue = createBullmqJobQueue({ url: redis.url, backoffDelayMs: 50 });
});

afterAll(async () => {
  await stopAllProcesses();
  await queue?.close();
  await redis?.stop();
});

describe('redelivery', () => {
  it('redelivers the job of a SIGKILLed consumer within lockDurationMs + stalledIntervalMs (defaults)', async () => {
    const { id } = await queue.enqueue(
      'killed',
      { n: 1 },
      { origin: origin() },
    );
    const child = spawnNode(FIXTURE, [redis.url, 'killed']);
    const started = await child.waitForLine('job started', 20_000);
    expect(started['id']).toBe(id);
    child.kill('SIGKILL');
    await child.exited;
    const killedAt = Date.now();
    const seen: Job<unknown>[] = [];
    const consumer = consume(
      queue.source('killed'),
      async (job) => void seen.push(job),
    );
    await waitFor(
      () => seen.length === 1,
      LOCK_DURATION_MS + STALLED_INTERVAL_MS + 3000,
      'the redelivery',
    );
    const redeliveredAfter = Date.now() - killedAt;
    await consumer.stop();
    expect(seen[0]?.id).toBe(id);
    // a stall uses no attempt: the job still has all its retries
    expect(seen[0]?.attempt).toBe(1);
    expect(redeliveredAfter).toBeLessThanOrEqual(
      LOCK_DURATION_MS + STALLED_INTERVAL_MS + 3000,
    );
  }, 60_000);

  it('stops fetching once next is aborted and hands back a job failed at the deadline', async () => {
    const source = queue.source<string>('handback');
    await source.open?.({ concurrency: 2 });
    await queue.enqueue('handback', 'A', { id: 'job-a', origin: origin() });
    const stop = new AbortController();
    const a = await source.next(stop.signal);
    expect(a?.id).toBe('job-a');
    stop.abort();
    expect(await source.next(stop.signal)).toBeUndefined();
    await queue.enqueue('handback', 'B', { id: 'job-b', origin: origin() });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await queue.depth('handback')).toEqual([
      { queue: 'handback', waiting: 1, active: 1, delayed: 0, failed: 0 },
    ]);
    // the worker transport calls fail for a job aborted at the shutdown deadline
    await source.fail(
      a as Job<string>,
      new Error('aborted at the shutdown deadline'),
    );
    await source.close?.();
    expect(await queue.depth('handback')).toEqual([
      { queue: 'handback', waiting: 2, active: 0, delayed: 0, failed: 0 },
    ]);
    const seen: Job<string>[] = [];
    const consumer = consume(
      queue.source<string>('handback'),
      async (job) => void seen.push(job),
    );
    await waitFor(() => seen.length === 2, 10_000, 'both jobs');
    await consumer.stop();
    // handed back first in line and without using an attempt
    expect(seen.map((j) => [j.id, j.attempt])).toEqual([
      ['job-a', 1],
      ['job-b', 1],
    ]);
  });

  it('hands back a job that was taken but never settled when the source closes', async () => {
    const source = queue.source<string>('unsettled');
    await queue.enqueue('unsettled', 'A', { id: 'job-u', origin: origin() });
    const job = await source.next(new AbortController().signal);
    expect(job?.id).toBe('job-u');
    await source.close?.();
    expect(await queue.depth('unsettled')).toEqual([
      { queue: 'unsettled', waiting: 1, active: 0, delayed: 0, failed: 0 },
    ]);
  });
});
