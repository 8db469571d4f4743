import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rpcStatusOf } from './support/rpc-status.js';
import {
  createGrpcClient,
  ECHO_PROTO_PATH,
  type LogLine,
  type ServiceProcess,
  spawnService,
  startService,
  stopAllServices,
  unary,
} from '@kenos/testing';

const fixture = fileURLToPath(
  new URL('./fixtures/queue-service.mjs', import.meta.url),
);
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN_ID = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${PARENT_SPAN_ID}-01`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const dirs: string[] = [];
function queueDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kenos-queue-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  await stopAllServices();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Puts a job into the file queue as the engine would have stored it. */
function putJob(dir: string, job: Record<string, unknown>): void {
  mkdirSync(join(dir, 'emails'), { recursive: true });
  writeFileSync(
    join(dir, 'emails', `${String(job['id'])}.json`),
    JSON.stringify(job),
  );
}

/** Polls `url` until it answers `status`; bounded, for health checks evaluated every 100 ms. */
async function waitForStatus(url: string, status: number): Promise<void> {
  const until = Date.now() + 10_000;
  let last = 0;
  while (Date.now() < until) {
    last = (await fetch(url)).status;
    if (last === status) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} answered ${last}, not ${status}, within 10 s`);
}

const linesOf = (svc: ServiceProcess, msg: string, jobId: string): LogLine[] =>
  svc.lines.filter((l) => l.msg === msg && l['job_id'] === jobId);

function enqueue(
  svc: ServiceProcess,
  name: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(svc.url(`/enqueue/${name}`), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe('enqueue without a queue', () => {
  let api: ServiceProcess;
  beforeAll(async () => {
    api = await startService(fixture, 'api', { readyTimeoutMs: 30_000 });
  });

  it('answers 503 problem+json saying no queue is configured and to set queue.url (REDIS_URL)', async () => {
    const res = await enqueue(api, 'emails', { payload: { to: 'a@b.c' } });
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(
      /^application\/problem\+json/,
    );
    const problem = (await res.json()) as Record<string, unknown>;
    expect(problem['code']).toBe('KENOS_ERR_SERVER_UNAVAILABLE');
    expect(problem['detail']).toMatch(/no job queue is configured/);
    expect(problem['detail']).toMatch(/queue\.url \(REDIS_URL\)/);
  });

  it('answers gRPC UNAVAILABLE with the same message', async () => {
    const echo = createGrpcClient({
      protoPath: ECHO_PROTO_PATH,
      service: 'kenos.testing.v1.EchoService',
      address: api.grpcAddress(),
    });
    try {
      const { error } = await unary(echo, 'Echo', { text: 'mail' });
      expect(error?.code).toBe(grpc.status.UNAVAILABLE);
      expect(error?.details).toMatch(/no job queue is configured.*REDIS_URL/);
      expect(rpcStatusOf(error).details[0]?.value).toMatchObject({
        reason: 'KENOS_ERR_SERVER_UNAVAILABLE',
        domain: 'kenos.dev',
      });
    } finally {
      echo.close();
    }
  });
});

describe('enqueue on a queue', () => {
  let api: ServiceProcess;
  let dir: string;
  beforeAll(async () => {
    dir = queueDir();
    api = await startService(fixture, 'api', {
      env: { FIXTURE_QUEUE_DIR: dir },
      readyTimeoutMs: 30_000,
    });
  });

  it('makes the queue before the other factories, which find it in the context', async () => {
    const made = api.lines.find((l) => l.msg === 'queue factory');
    expect(made?.['queue_seen']).toBe(false);
    const res = await enqueue(api, 'emails', { payload: {} });
    expect(res.status).toBe(202);
    expect(((await res.json()) as Record<string, unknown>)['queue_known']).toBe(
      true,
    );
  });

  it("stores the job with its origin: the request span's traceparent and the enqueue time", async () => {
    const before = Date.now();
    const res = await enqueue(
      api,
      'emails',
      {
        payload: { to: 'a@b.c' },
        options: { id: 'welcome-42', attempts: 5, delayMs: 0 },
      },
      { traceparent: TRACEPARENT },
    );
    const after = Date.now();
    expect(res.status).toBe(202);
    const body = (await res.json()) as {
      id: string;
      trace: { traceId: string; spanId: string };
    };
    expect(body.id).toBe('welcome-42');
    const stored = JSON.parse(
      await readFile(join(dir, 'emails', 'welcome-42.json'), 'utf8'),
    ) as {
      payload: unknown;
      options: Record<string, unknown>;
      origin: { traceparent: string; enqueuedAt: number };
    };
    expect(stored.payload).toEqual({ to: 'a@b.c' });
    expect(stored.options).toMatchObject({
      id: 'welcome-42',
      attempts: 5,
      delayMs: 0,
    });
    // the request's server span: the incoming trace, a span of its own
    expect(body.trace.traceId).toBe(TRACE_ID);
    expect(stored.origin.traceparent).toBe(
      `00-${TRACE_ID}-${body.trace.spanId}-01`,
    );
    expect(body.trace.spanId).not.toBe(PARENT_SPAN_ID);
    expect(stored.origin.enqueuedAt).toBeGreaterThanOrEqual(before);
    expect(stored.origin.enqueuedAt).toBeLessThanOrEqual(after);
  });

  it('refuses an invalid queue name or options with 400 and one violation per field', async () => {
    const badName = await enqueue(api, 'no%20spaces', { payload: {} });
    expect(badName.status).toBe(400);
    const nameProblem = (await badName.json()) as {
      code: string;
      errors: { field: string }[];
    };
    expect(nameProblem.code).toBe('KENOS_ERR_SERVER_VALIDATION');
    expect(nameProblem.errors.map((e) => e.field)).toEqual(['name']);

    const badOptions = await enqueue(api, 'emails', {
      payload: {},
      options: { id: 'x'.repeat(129), delayMs: -1, attempts: 1.5 },
    });
    expect(badOptions.status).toBe(400);
    const problem = (await badOptions.json()) as {
      detail: string;
      errors: { field: string; description: string }[];
    };
    expect(problem.errors.map((e) => e.field)).toEqual([
      'id',
      'delayMs',
      'attempts',
    ]);
    expect(problem.detail).toMatch(
      /id: the job id must be a string of 1 to 128 characters/,
    );
    expect(problem.detail).toMatch(
      /attempts: must be an integer >= 1, got 1.5/,
    );
  });
});

describe('the worker on a queue', () => {
  it('opens queue.source(name) with its concurrency and runs its jobs', async () => {
    const dir = queueDir();
    putJob(dir, { id: 'job-a', payload: { to: 'a' } });
    putJob(dir, { id: 'job-b', payload: { to: 'b' } });
    const worker = await startService(fixture, 'worker:emails', {
      env: { FIXTURE_QUEUE_DIR: dir, FIXTURE_CONCURRENCY: '3' },
      readyTimeoutMs: 30_000,
    });
    const opened = worker.lines.find(
      (l) => l.msg === 'file queue source opened',
    );
    expect(opened?.['concurrency']).toBe(3);
    await worker.waitForLine(
      (l) => l.msg === 'job completed' && l['job_id'] === 'job-a',
    );
    await worker.waitForLine(
      (l) => l.msg === 'job completed' && l['job_id'] === 'job-b',
    );
    expect(worker.lines.findIndex((l) => l === opened)).toBeLessThan(
      worker.lines.findIndex((l) => l.msg === 'service ready'),
    );
    await worker.stop();
  });

  it("logs every line of a job with job_id, attempt, the origin's request id and trace id, in its call scope", async () => {
    const dir = queueDir();
    putJob(dir, {
      id: 'job-traced',
      payload: { to: 'c' },
      attempt: 2,
      origin: {
        requestId: 'origin-req-7',
        traceparent: TRACEPARENT,
        enqueuedAt: Date.now() - 1500,
      },
    });
    const worker = await startService(fixture, 'worker:emails', {
      env: { FIXTURE_QUEUE_DIR: dir },
      readyTimeoutMs: 30_000,
    });
    await worker.waitForLine((l) => l.msg === 'job completed');
    const lines = ['job started', 'sending email', 'job completed'].map(
      (msg) => linesOf(worker, msg, 'job-traced')[0],
    );
    for (const line of lines) {
      expect(line).toMatchObject({
        job: 'emails',
        attempt: 2,
        request_id: 'origin-req-7',
        trace_id: TRACE_ID,
      });
      expect(line?.['span_id']).not.toBe(PARENT_SPAN_ID);
    }
    expect(lines[1]).toMatchObject({
      scope_request_id: 'origin-req-7',
      scope_has_signal: true,
    });
    expect(lines[0]?.['queue_latency_ms']).toBeGreaterThanOrEqual(1500);
    const metrics = await (await fetch(worker.adminUrl('/metrics'))).text();
    expect(metrics).toMatch(
      /^kenos_job_queue_latency_seconds_count\{[^}]*job_name="emails"[^}]*\} 1$/m,
    );
    await worker.stop();
  });

  it('gives a job without an origin a new request id and a new trace', async () => {
    const dir = queueDir();
    putJob(dir, { id: 'job-plain', payload: {} });
    const worker = await startService(fixture, 'worker:emails', {
      env: { FIXTURE_QUEUE_DIR: dir },
      readyTimeoutMs: 30_000,
    });
    const line = await worker.waitForLine(
      (l) => l.msg === 'sending email' && l['job_id'] === 'job-plain',
    );
    expect(line['request_id']).toMatch(UUID);
    expect(line['scope_request_id']).toBe(line['request_id']);
    expect(line['attempt']).toBe(1);
    expect(line['trace_id']).toMatch(/^[0-9a-f]{32}$/);
    expect(line['trace_id']).not.toBe(TRACE_ID);
    await worker.stop();
  });

  it('carries the request id and the trace on to a job enqueued from a job', async () => {
    const dir = queueDir();
    putJob(dir, {
      id: 'job-first',
      payload: { followUp: true },
      origin: {
        requestId: 'origin-req-9',
        traceparent: TRACEPARENT,
        enqueuedAt: Date.now(),
      },
    });
    const worker = await startService(fixture, 'worker:emails', {
      env: { FIXTURE_QUEUE_DIR: dir },
      readyTimeoutMs: 30_000,
    });
    const followUp = await worker.waitForLine(
      (l) =>
        l.msg === 'sending email' &&
        (l['payload'] as { text?: string } | undefined)?.text === 'follow-up',
    );
    expect(followUp['job_id']).not.toBe('job-first');
    expect(followUp['request_id']).toBe('origin-req-9');
    expect(followUp['trace_id']).toBe(TRACE_ID);
    await worker.stop();
  });

  it('fails its start when the source cannot open: exit 1 before ready, naming the cause', async () => {
    const worker = spawnService(fixture, 'worker:emails', {
      env: { FIXTURE_QUEUE_DIR: queueDir(), FIXTURE_QUEUE_OPEN_FAIL: '1' },
    });
    expect((await worker.exited).code).toBe(1);
    expect(worker.lines.some((l) => l.msg === 'service ready')).toBe(false);
    const fatal = worker.lines.find((l) => l.level === 'fatal');
    expect(fatal?.['code']).toBe('KENOS_ERR_SERVER_START');
    expect(fatal?.msg).toMatch(
      /worker:emails failed to start: file queue refused to open/,
    );
  });
});

describe('a job enqueued by a REST request', () => {
  let api: ServiceProcess;
  let worker: ServiceProcess;
  beforeAll(async () => {
    const dir = queueDir();
    [api, worker] = await Promise.all([
      startService(fixture, 'api', {
        env: { FIXTURE_QUEUE_DIR: dir },
        readyTimeoutMs: 30_000,
      }),
      startService(fixture, 'worker:emails', {
        env: { FIXTURE_QUEUE_DIR: dir },
        readyTimeoutMs: 30_000,
      }),
    ]);
  });

  it("runs in the request's trace", async () => {
    const res = await enqueue(
      api,
      'emails',
      { payload: { to: 'rest' } },
      { traceparent: TRACEPARENT },
    );
    const { id } = (await res.json()) as { id: string };
    const line = await worker.waitForLine(
      (l) => l.msg === 'sending email' && l['job_id'] === id,
    );
    expect(line['trace_id']).toBe(TRACE_ID);
  });

  // the REST transport runs every request in a call scope: enqueue takes its request id
  it("logs the request's request id on the job's lines", async () => {
    const res = await enqueue(
      api,
      'emails',
      { payload: { to: 'rest-id' } },
      { 'x-request-id': 'rest-req-1' },
    );
    const body = (await res.json()) as {
      id: string;
      scope_request_id?: string;
    };
    expect(body.scope_request_id).toBe('rest-req-1');
    const line = await worker.waitForLine(
      (l) => l.msg === 'sending email' && l['job_id'] === body.id,
    );
    expect(line['request_id']).toBe('rest-req-1');
    expect(line['scope_request_id']).toBe('rest-req-1');
  });
});

describe('queue health and shutdown', () => {
  it('turns a worker not ready while its queue check fails, and ready again when it passes', async () => {
    const downFile = join(queueDir(), 'down');
    const worker = await startService(fixture, 'worker:emails', {
      env: { FIXTURE_QUEUE_DIR: queueDir(), FIXTURE_QUEUE_DOWN_FILE: downFile },
      readyTimeoutMs: 30_000,
    });
    await waitForStatus(worker.adminUrl('/ready'), 200);
    writeFileSync(downFile, '');
    await waitForStatus(worker.adminUrl('/ready'), 500);
    rmSync(downFile);
    await waitForStatus(worker.adminUrl('/ready'), 200);
    await worker.stop();
  });

  it('keeps the api ready while its queue check fails, and shows the check in /health', async () => {
    const downFile = join(queueDir(), 'down');
    writeFileSync(downFile, '');
    const api = await startService(fixture, 'api', {
      env: { FIXTURE_QUEUE_DIR: queueDir(), FIXTURE_QUEUE_DOWN_FILE: downFile },
      readyTimeoutMs: 30_000,
    });
    const until = Date.now() + 10_000;
    let health: unknown;
    while (Date.now() < until) {
      health = await (await fetch(api.adminUrl('/health'))).json();
      if (JSON.stringify(health).includes('file queue is down')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(JSON.stringify(health)).toContain('file queue is down');
    expect((await fetch(api.adminUrl('/ready'))).status).toBe(200);
    await api.stop();
  });

  it("closes the queue at shutdown, after the transports stopped and the service's hooks ran", async () => {
    const worker = await startService(fixture, 'worker:emails', {
      env: { FIXTURE_QUEUE_DIR: queueDir() },
      readyTimeoutMs: 30_000,
    });
    expect((await worker.stop('SIGTERM')).code).toBe(0);
    const closed = worker.lines.findIndex((l) => l.msg === 'file queue closed');
    const hook = worker.lines.findIndex(
      (l) => l.msg === 'fixture shutdown hook ran',
    );
    expect(closed).toBeGreaterThan(-1);
    expect(hook).toBeGreaterThan(-1);
    expect(closed).toBeGreaterThan(hook);
  });
});

describe('queue.url', () => {
  it('exits 78 on an invalid queue.url, listing it with every other problem and never showing it', async () => {
    const svc = spawnService(fixture, 'api', {
      env: {
        REDIS_URL: 'http://user:hunter2-secret@cache.internal:6379',
        SHUTDOWN_TIMEOUT_MS: 'soon',
      },
    });
    expect((await svc.exited).code).toBe(78);
    const fatal = svc.lines.find((l) => l.level === 'fatal');
    const problems = fatal?.['problems'] as string[];
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toMatch(/queue\.url.*REDIS_URL/);
    expect(problems.join('\n')).toMatch(/redis:\/\/ or rediss:\/\/ URL/);
    expect(svc.stdout).not.toContain('hunter2-secret');
    expect(svc.stdout).not.toContain('cache.internal');
  });

  it('masks the URL in the starting line and scrubs it and its password from every log line', async () => {
    const password = 'hunter2/secret';
    const url = `redis://:${encodeURIComponent(password)}@cache.internal:6379/1`;
    const api = await startService(fixture, 'api', {
      env: { REDIS_URL: url },
      readyTimeoutMs: 30_000,
    });
    const starting = api.lines.find((l) => l.msg === 'starting');
    expect((starting?.['config'] as { queue: { url: string } }).queue.url).toBe(
      '[sensitive]',
    );
    expect(api.lines.some((l) => l.msg === 'connecting to the queue')).toBe(
      true,
    );
    expect(api.stdout).not.toContain(encodeURIComponent(password));
    expect(api.stdout).not.toContain(password);
    expect(api.stdout).not.toContain('cache.internal');
    await api.stop();
  });
});
