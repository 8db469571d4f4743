import {
  createMetrics,
  setProcessMetrics,
  type KenosMetrics,
} from '@kenos/telemetry';
import { startRedis, type RedisServer } from '@kenos/testing/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bullmqQueue, JobsError, type BullmqJobQueue } from '../src/index.js';
import { consume, origin, waitFor } from './consume.js';

let redis: RedisServer;
let metrics: KenosMetrics;
const opened: BullmqJobQueue[] = [];
const lines: { level: string; msg: string }[] = [];
const logger = {
  info: (_obj: Record<string, unknown>, msg: string) =>
    void lines.push({ level: 'info', msg }),
  warn: (_obj: Record<string, unknown>, msg: string) =>
    void lines.push({ level: 'warn', msg }),
};
const context = (url: string) => ({ config: { queue: { url } }, logger });

beforeAll(async () => {
  redis = await startRedis();
  metrics = createMetrics({
    service: 'jobs-test',
    version: '0.0.0',
    collectDefaultMetrics: false,
  });
  setProcessMetrics(metrics);
});

afterAll(async () => {
  for (const queue of opened) await queue.close().catch(() => undefined);
  setProcessMetrics(undefined);
  await redis?.stop();
});

/** The `kenos_queue_jobs` samples of the process metrics, as `queue/state → value`. */
async function depthSeries(): Promise<Record<string, number>> {
  const gauge = await metrics.registry
    .getSingleMetric('kenos_queue_jobs')
    ?.get();
  return Object.fromEntries(
    (gauge?.values ?? []).map((v) => [
      `${String(v.labels['queue'])}/${String(v.labels['job_state'])}`,
      v.value,
    ]),
  );
}

describe('bullmqQueue', () => {
  it('makes no queue when queue.url is empty', async () => {
    expect(await bullmqQueue()(context(''))).toBeUndefined();
  });

  it('makes a BullMQ queue on queue.url that delivers what it stores', async () => {
    const queue = await bullmqQueue({
      lockDurationMs: 3000,
      stalledIntervalMs: 1000,
    })(context(redis.url));
    expect(queue?.engine).toBe('bullmq');
    opened.push(queue!);
    const { id } = await queue!.enqueue(
      'glue-deliver',
      { n: 1 },
      { origin: origin('req-glue') },
    );
    const seen: string[] = [];
    const consumer = consume<{ n: number }>(
      queue!.source('glue-deliver'),
      async (job) => void seen.push(job.id),
    );
    await waitFor(() => seen.length === 1, 10_000, 'the job');
    await consumer.stop();
    await queue!.close();
    expect(seen).toEqual([id]);
  });

  it('reports the depth of every queue the process enqueues to or consumes until it is closed', async () => {
    const queue = (await bullmqQueue()(context(redis.url)))!;
    opened.push(queue);
    await queue.enqueue('glue-depth', { n: 1 }, { origin: origin('a') });
    await queue.enqueue('glue-depth', { n: 2 }, { origin: origin('b') });
    await queue.enqueue(
      'glue-depth',
      { n: 3 },
      { origin: origin('c'), delayMs: 60_000 },
    );
    queue.source('glue-consumed'); // never opened: tracked from its first use
    expect(await depthSeries()).toMatchObject({
      'glue-depth/waiting': 2,
      'glue-depth/active': 0,
      'glue-depth/delayed': 1,
      'glue-depth/failed': 0,
      'glue-consumed/waiting': 0,
    });
    await queue.close();
    const after = await depthSeries();
    expect(
      Object.keys(after).filter((k) => /^glue-(depth|consumed)\//.test(k)),
    ).toEqual([]);
  });

  it('rejects with JobsError for invalid options when the factory runs', async () => {
    await expect(
      bullmqQueue({ lockDurationMs: 1000, stalledIntervalMs: 5000 })(
        context(redis.url),
      ),
    ).rejects.toThrow(JobsError);
  });
});
