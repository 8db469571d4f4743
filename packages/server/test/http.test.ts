import { Agent, request as httpRequest } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateLocalKey } from '@kenos/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ServiceProcess,
  startService,
  stopAllServices,
} from '@kenos/testing';

const fixture = fileURLToPath(
  new URL('./fixtures/service.mjs', import.meta.url),
);
let svc: ServiceProcess;
let base: string;

const keyFile = join(mkdtempSync(join(tmpdir(), 'kenos-server-')), 'dev.key');

beforeAll(async () => {
  await generateLocalKey(keyFile, { keyId: 'fixture-key' });
  svc = await startService(fixture, 'api', {
    env: {
      FIXTURE_SECRET: 'sup3r-s3cret-value',
      KENOS_LOCAL_KEY_FILE: keyFile,
    },
    readyTimeoutMs: 30_000,
  });
  base = `http://127.0.0.1:${svc.ports.http}`;
});
afterAll(async () => {
  svc.kill('SIGTERM');
  await svc.exited;
  await stopAllServices();
});

const accessLine = (requestId: string) =>
  svc.waitForLine(
    (l) => l.msg === 'http request' && l['request_id'] === requestId,
    5000,
  );

describe('REST transport', () => {
  it('answers a route and echoes a valid incoming x-request-id', async () => {
    const res = await fetch(`${base}/hello/Ada`, {
      headers: { 'x-request-id': 'req-123.abc' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('req-123.abc');
    expect(await res.json()).toEqual({ message: 'Hello, Ada!' });
  });

  it('replaces an invalid x-request-id with a generated one', async () => {
    const res = await fetch(`${base}/hello/Ada`, {
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('writes one access-log line per request with the route template, status and trace ids', async () => {
    const res = await fetch(`${base}/hello/Grace`, {
      headers: { 'x-request-id': 'access-log-1' },
    });
    await res.text();
    const line = await accessLine('access-log-1');
    expect(line['http']).toMatchObject({
      method: 'GET',
      route: '/hello/:name',
      path: '/hello/Grace',
      status: 200,
    });
    expect(line['trace_id']).toMatch(/^[0-9a-f]{32}$/);
    expect(line['component']).toBe('api');
    expect(
      svc.lines.filter(
        (l) => l['request_id'] === 'access-log-1' && l.msg === 'http request',
      ),
    ).toHaveLength(1);
  });

  it('continues an incoming W3C traceparent', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await (
      await fetch(`${base}/hello/T`, {
        headers: {
          'x-request-id': 'trace-1',
          traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
        },
      })
    ).text();
    expect((await accessLine('trace-1'))['trace_id']).toBe(traceId);
  });

  it('answers malformed JSON with a 400 problem+json', async () => {
    const res = await fetch(`${base}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"text":',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(
      /^application\/problem\+json/,
    );
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      code: 'KENOS_ERR_SERVER_MALFORMED_JSON',
    });
    expect(body['request_id']).toBe(res.headers.get('x-request-id'));
  });

  it('logs a request refused for its body with its path and status, the route unmatched, and the instance in the problem', async () => {
    const res = await fetch(`${base}/echo?x=1`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-request-id': 'bad-body-1',
      },
      body: '{',
    });
    expect(await res.json()).toMatchObject({
      status: 400,
      instance: '/echo?x=1',
      request_id: 'bad-body-1',
    });
    const line = await accessLine('bad-body-1');
    expect(line['http']).toMatchObject({
      method: 'POST',
      route: '(unmatched)',
      path: '/echo',
      status: 400,
    });
    expect(line['trace_id']).toMatch(/^[0-9a-f]{32}$/);
  });

  it('answers a ValidationError with a 400 problem listing the field violations', async () => {
    const res = await fetch(`${base}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      status: 400,
      code: 'KENOS_ERR_SERVER_VALIDATION',
      errors: [{ field: 'text', description: 'must be a string' }],
    });
  });

  it('answers a JSON body over 1 MiB with 413 problem+json', async () => {
    const res = await fetch(`${base}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x'.repeat(1024 * 1024 + 10) }),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(
      /^application\/problem\+json/,
    );
    expect(await res.json()).toMatchObject({
      status: 413,
      code: 'KENOS_ERR_SERVER_BODY_TOO_LARGE',
    });
  });

  it('answers an unknown route with 404 problem+json', async () => {
    const res = await fetch(`${base}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({
      status: 404,
      title: 'Not Found',
      instance: '/nope',
    });
  });

  it('routes a rejected async handler to the error handler: 500 without internals, with the request id', async () => {
    const res = await fetch(`${base}/boom-async`, {
      headers: { 'x-request-id': 'boom-1' },
    });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toMatch(/hunter2|secret\.js|at /);
    expect(JSON.parse(text)).toMatchObject({
      status: 500,
      request_id: 'boom-1',
      code: 'KENOS_ERR_SERVER_INTERNAL',
    });
    const errorLine = await svc.waitForLine(
      (l) =>
        l.msg === 'unhandled error in http handler' &&
        l['request_id'] === 'boom-1',
    );
    expect(JSON.stringify(errorLine['err'])).toContain('hunter2');
  });

  it('answers a synchronous throw with 500 without internals', async () => {
    const res = await fetch(`${base}/boom-sync`);
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain('xyz');
  });

  it('advertises a keep-alive timeout of 65 s, above common load-balancer idle timeouts', async () => {
    const agent = new Agent({ keepAlive: true });
    const headers = await new Promise<Record<string, unknown>>(
      (resolve, reject) => {
        httpRequest(`${base}/hello/K`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.headers));
        })
          .on('error', reject)
          .end();
      },
    );
    agent.destroy();
    expect(headers['keep-alive']).toBe('timeout=65');
  });

  it('scrubs a sensitive config value from log lines', async () => {
    await (await fetch(`${base}/log-secret`)).text();
    const line = await svc.waitForLine((l) => l.msg === 'about to leak');
    expect(JSON.stringify(line)).not.toContain('sup3r-s3cret-value');
    const starting = await svc.waitForLine((l) => l.msg === 'starting');
    expect(JSON.stringify(starting)).not.toContain('sup3r-s3cret-value');
  });

  it('exposes RED metrics with the route template on the admin port', async () => {
    await (await fetch(`${base}/hello/Metric`)).text();
    const text = await (
      await fetch(`http://127.0.0.1:${svc.ports.admin}/metrics`)
    ).text();
    expect(text).toMatch(
      /http_server_request_duration_seconds_count\{[^}]*http_route="\/hello\/:name"[^}]*\} \d+/,
    );
    expect(text).not.toContain('/hello/Metric');
    expect(text).toContain('kenos_build_info');
  });

  it('changes the log level at runtime through PUT /log-level on the admin port', async () => {
    const admin = `http://127.0.0.1:${svc.ports.admin}/log-level`;
    expect(await (await fetch(admin)).json()).toEqual({ level: 'info' });
    expect((await fetch(`${admin}?level=loud`, { method: 'PUT' })).status).toBe(
      400,
    );
    expect(
      await (await fetch(`${admin}?level=debug`, { method: 'PUT' })).json(),
    ).toEqual({ level: 'debug' });
    expect(await (await fetch(admin)).json()).toEqual({ level: 'debug' });
    await fetch(`${admin}?level=info`, { method: 'PUT' });
  });

  it('hands handlers the key provider made from the keys.* settings', async () => {
    const res = await fetch(`${base}/key-provider`);
    expect(await res.json()).toEqual({
      kind: 'local',
      primaryKeyId: 'fixture-key',
    });
  });

  it('serves /live and /ready on the admin port', async () => {
    expect(
      (await fetch(`http://127.0.0.1:${svc.ports.admin}/live`)).status,
    ).toBe(200);
    expect(
      (await fetch(`http://127.0.0.1:${svc.ports.admin}/ready`)).status,
    ).toBe(200);
  });
});

describe('REST handler timeout', () => {
  it('answers a handler that never responds with 503 problem+json after handlerTimeoutMs', async () => {
    const slow = await startService(fixture, 'api', {
      env: { FIXTURE_HANDLER_TIMEOUT_MS: '300' },
      readyTimeoutMs: 30_000,
    });
    try {
      const res = await fetch(`http://127.0.0.1:${slow.ports.http}/hang`, {
        headers: { 'x-request-id': 'hang-1' },
      });
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({
        status: 503,
        code: 'KENOS_ERR_SERVER_TIMEOUT',
        request_id: 'hang-1',
      });
    } finally {
      slow.kill('SIGTERM');
      expect((await slow.exited).code).toBe(0);
    }
  });
});
