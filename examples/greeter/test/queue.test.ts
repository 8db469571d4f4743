// The greeting jobs on a real redis-server: POST /v1/greeting-jobs in the api, worker:greetings
// consuming the queue. A platform test of this repository (not copied into generated services:
// it needs redis-server on PATH).
import { fileURLToPath } from 'node:url';
import {
  startService,
  stopAllServices,
  type ServiceProcess,
} from '@kenos/testing';
import { startRedis, type RedisServer } from '@kenos/testing/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));

let redis: RedisServer | undefined;
let api: ServiceProcess;
let worker: ServiceProcess;

beforeAll(async () => {
  redis = await startRedis();
  const env = { REDIS_URL: redis.url, GREETER_WORKER_JOB_DURATION_MS: '50' };
  [api, worker] = await Promise.all([
    startService(main, 'api', { env }),
    startService(main, 'worker:greetings', { env }),
  ]);
}, 30_000);

afterAll(async () => {
  const exits = await Promise.all(
    [api, worker].filter(Boolean).map((p) => p.stop('SIGTERM')),
  );
  await stopAllServices();
  await redis?.stop();
  expect(exits.map((e) => e.code)).toEqual([0, 0]);
}, 30_000);

const postJob = (body: string): Promise<Response> =>
  fetch(api.url('/v1/greeting-jobs'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });

describe('greeting jobs on a queue', () => {
  it("accepts a greeting job with 202 and its id is the job_id of the worker's lines", async () => {
    const res = await postJob('{"name":"Ada"}');
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const completed = await worker.waitForLine(
      (l) => l.msg === 'job completed' && l['job_id'] === id,
      10_000,
    );
    expect(completed).toMatchObject({ job: 'greetings', attempt: 1 });
    expect(
      worker.lines.find((l) => l.msg === 'greeted' && l['job_id'] === id),
    ).toMatchObject({ greeting: 'Hello, Ada!' });
  });

  it('runs the job in the trace of the request that enqueued it', async () => {
    const res = await postJob('{"name":"Grace"}');
    const requestId = res.headers.get('x-request-id');
    const { id } = (await res.json()) as { id: string };
    const request = await api.waitForLine(
      (l) => l.msg === 'http request' && l['request_id'] === requestId,
    );
    await worker.waitForLine(
      (l) => l.msg === 'job completed' && l['job_id'] === id,
      10_000,
    );
    const jobLines = worker.lines.filter((l) => l['job_id'] === id);
    expect(jobLines.map((l) => l.msg)).toEqual([
      'job started',
      'greeted',
      'job completed',
    ]);
    expect(request['trace_id']).toMatch(/^[0-9a-f]{32}$/);
    for (const line of jobLines)
      expect(line['trace_id']).toBe(request['trace_id']);
  });

  it('answers an invalid greeting job with 400 problem+json and enqueues nothing', async () => {
    const res = await postJob('{"name":""}');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(
      /^application\/problem\+json/,
    );
    expect(await res.json()).toMatchObject({
      errors: [{ field: 'name', description: 'must not be empty' }],
    });
  });

  it("reports the queue's depth in the api's metrics", async () => {
    const metrics = await (await fetch(api.adminUrl('/metrics'))).text();
    expect(metrics).toMatch(
      /^kenos_queue_jobs\{queue="greetings",job_state="failed",service="greeter"\} 0$/m,
    );
  });
});
