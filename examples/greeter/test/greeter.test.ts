import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createGrpcClient,
  listGrpcServices,
  spawnService,
  startService,
  stopAllServices,
  unary,
  type ServiceProcess,
} from '@kenos/testing';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const proto = fileURLToPath(
  new URL('../proto/kenos/example/greeter/v1/greeter.proto', import.meta.url),
);
const greeterClient = (address: string): grpc.Client =>
  createGrpcClient({
    protoPath: proto,
    service: 'kenos.example.greeter.v1.GreeterService',
    address,
  });

afterAll(() => stopAllServices());

describe('greeter api', () => {
  let svc: ServiceProcess;
  let base: string;
  let client: grpc.Client;
  beforeAll(async () => {
    svc = await startService(main, 'api', {
      // no queue: POST /v1/greeting-jobs answers 503
      env: { GREETER_MAX_NAME_LENGTH: '10', REDIS_URL: '' },
    });
    base = `http://127.0.0.1:${svc.ports.http}`;
    client = greeterClient(svc.grpcAddress());
  });
  afterAll(async () => {
    client.close();
    svc.kill('SIGTERM');
    expect((await svc.exited).code).toBe(0);
  });

  it('greets by name on GET /v1/greetings/:name', async () => {
    const res = await fetch(`${base}/v1/greetings/World`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ message: 'Hello, World!' });
  });

  it('waits delay_ms before answering', async () => {
    const started = Date.now();
    const res = await fetch(`${base}/v1/greetings/Slow?delay_ms=300`);
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('greets by name on POST /v1/greetings', async () => {
    const res = await fetch(`${base}/v1/greetings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":"Ada"}',
    });
    expect(await res.json()).toEqual({ message: 'Hello, Ada!' });
  });

  it.each([
    ['an empty name', '/v1/greetings/%20', 'name'],
    ['a name over greeter.maxNameLength', '/v1/greetings/abcdefghijk', 'name'],
    ['a non-numeric delay_ms', '/v1/greetings/Ada?delay_ms=abc', 'delay_ms'],
    ['a delay_ms over 10000', '/v1/greetings/Ada?delay_ms=10001', 'delay_ms'],
    ['a negative delay_ms', '/v1/greetings/Ada?delay_ms=-1', 'delay_ms'],
  ])('answers %s with 400 problem+json', async (_what, path, field) => {
    const res = await fetch(`${base}${path}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(
      /^application\/problem\+json/,
    );
    expect(await res.json()).toMatchObject({
      status: 400,
      errors: [{ field }],
    });
  });

  it('answers a POST without a name with 400 problem+json', async () => {
    const res = await fetch(`${base}/v1/greetings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      errors: [{ field: 'name', description: 'must not be empty' }],
    });
  });

  it('answers a POST whose name is not a string with 400 problem+json', async () => {
    const res = await fetch(`${base}/v1/greetings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":42}',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      errors: [{ field: 'name', description: 'must be a string' }],
    });
  });

  it.each([
    ['an empty name', '{"name":" "}', 'must not be empty'],
    ['a name that is not a string', '{"name":42}', 'must be a string'],
  ])(
    'answers a greeting job with %s with 400 problem+json',
    async (_what, body, description) => {
      const res = await fetch(`${base}/v1/greeting-jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        errors: [{ field: 'name', description }],
      });
    },
  );

  it('answers a relayed greeting with 503 problem+json when no neighbour greeter is configured', async () => {
    const res = await fetch(`${base}/v1/relayed-greetings/Ada`);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(
      /^application\/problem\+json/,
    );
    expect(await res.json()).toMatchObject({
      status: 503,
      code: 'KENOS_ERR_SERVER_UNAVAILABLE',
      detail: expect.stringMatching(/GREETER_NEIGHBOUR_URL/),
    });
  });

  it('refuses an invalid relayed greeting with 400 before asking any neighbour', async () => {
    const res = await fetch(`${base}/v1/relayed-greetings/abcdefghijk`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ errors: [{ field: 'name' }] });
  });

  it('answers a greeting job with 503 problem+json when no queue is configured', async () => {
    const res = await fetch(`${base}/v1/greeting-jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":"Ada"}',
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(
      /^application\/problem\+json/,
    );
    expect(await res.json()).toMatchObject({
      status: 503,
      code: 'KENOS_ERR_SERVER_UNAVAILABLE',
      detail: expect.stringMatching(/no job queue is configured/),
    });
  });

  it('greets over gRPC SayHello', async () => {
    const { response } = await unary<{ message: string }>(client, 'SayHello', {
      name: 'Grace',
    });
    expect(response).toEqual({ message: 'Hello, Grace!' });
  });

  it.each([
    ['an empty name', { name: '' }],
    ['a too long name', { name: 'abcdefghijk' }],
    ['a delay over 10000 ms', { name: 'Ada', delayMs: 10_001 }],
  ])(
    'answers SayHello with %s with INVALID_ARGUMENT',
    async (_what, request) => {
      const { error } = await unary(client, 'SayHello', request);
      expect(error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    },
  );

  it('lists the greeter service through reflection', async () => {
    expect(await listGrpcServices(svc.grpcAddress())).toContain(
      'kenos.example.greeter.v1.GreeterService',
    );
  });

  it('logs its effective config at startup with the API token masked', async () => {
    const line = await svc.waitForLine((l) => l.msg === 'starting');
    expect(line['config']).toMatchObject({
      greeter: { greeting: 'Hello', maxNameLength: 10 },
      http: { port: 0 },
    });
    // greeter.apiToken comes from config/development.secrets.yaml, decrypted with .kenos/dev.key: never in a log
    expect(
      (line['config'] as { greeter: { apiToken: string } }).greeter.apiToken,
    ).toMatch(/^\[/);
    expect(JSON.stringify(svc.lines)).not.toContain('dev-token-7f3a9c2e');
  });
});

describe('greeter worker and batch', () => {
  it('worker:greetings finishes its in-flight job on SIGTERM and exits 0', async () => {
    const svc = await startService(main, 'worker:greetings', {
      env: {
        GREETER_WORKER_JOB_DURATION_MS: '1200',
        GREETER_WORKER_INTERVAL_MS: '60000',
        REDIS_URL: '', // no queue: the in-process demo feed
      },
    });
    const started = await svc.waitForLine((l) => l.msg === 'job started');
    svc.kill('SIGTERM');
    expect((await svc.exited).code).toBe(0);
    expect(
      svc.lines.some(
        (l) => l.msg === 'greeted' && l['job_id'] === started['job_id'],
      ),
    ).toBe(true);
  });

  it('batch:daily-report logs a summary and exits 0', async () => {
    const svc = spawnService(main, 'batch:daily-report');
    expect((await svc.exited).code).toBe(0);
    expect(svc.lines.some((l) => l.msg === 'daily report')).toBe(true);
  });

  it('batch:daily-report exits 1 when it fails and 78 on invalid config', async () => {
    const failing = spawnService(main, 'batch:daily-report', {
      env: { GREETER_REPORT_FAIL: 'true' },
    });
    const invalid = spawnService(main, 'batch:daily-report', {
      env: { GREETER_MAX_NAME_LENGTH: '0' },
    });
    expect((await failing.exited).code).toBe(1);
    expect((await invalid.exited).code).toBe(78);
  });
});
