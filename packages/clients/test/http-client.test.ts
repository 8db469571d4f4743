import { createServer } from 'node:net';
import {
  currentCallScope,
  DeadlineExceededError,
  runInCallScope,
  type CallScope,
} from '@kenos/server';
import {
  createMetrics,
  currentTraceIds,
  setProcessMetrics,
  shutdownTracing,
  startTracing,
  withSpan,
  type KenosMetrics,
} from '@kenos/telemetry';
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
} from 'vitest';
import {
  ClientsError,
  createHttpClient,
  type HttpClient,
} from '../src/index.js';
import { json, startTestServer, type TestServer } from './test-server.js';

const servers: TestServer[] = [];
const clients: HttpClient[] = [];
let metrics: KenosMetrics;

async function server(
  ...args: Parameters<typeof startTestServer>
): Promise<TestServer> {
  const s = await startTestServer(...args);
  servers.push(s);
  return s;
}

function client(...args: Parameters<typeof createHttpClient>): HttpClient {
  const c = createHttpClient(...args);
  clients.push(c);
  return c;
}

/** Observations of http_client_request_duration_seconds by `status/error_type`. */
async function tries(): Promise<Record<string, number>> {
  const text = await metrics.registry.getSingleMetricAsString(
    'http_client_request_duration_seconds',
  );
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = line.match(
      /^http_client_request_duration_seconds_count\{(.*)\} (\d+)$/,
    );
    if (!m) continue;
    const labels = Object.fromEntries(
      [...m[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]),
    );
    const key = `${labels['http_response_status_code']}/${labels['error_type']}`;
    out[key] = (out[key] ?? 0) + Number(m[2]);
  }
  return out;
}

function scope(over: Partial<CallScope> = {}): CallScope {
  return {
    requestId: 'req-scope-1',
    deadline: Date.now() + 5000,
    signal: undefined,
    ...over,
  };
}

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function caught(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

beforeAll(() => {
  startTracing({ serviceName: 'clients-test', serviceVersion: '1', env: {} });
});
afterAll(async () => {
  await shutdownTracing();
});
beforeEach(() => {
  metrics = createMetrics({ service: 'clients-test', version: '1' });
  setProcessMetrics(metrics);
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
  setProcessMetrics(undefined);
});

describe('the HTTP client', () => {
  it("sends the call scope's request id, the remaining deadline and the trace context of its client span", async () => {
    const s = await server((_req, res) => json(res, 200, { ok: true }));
    const c = client({ baseUrl: s.url });
    let handlerTraceId: string | undefined;
    const res = await runInCallScope(scope(), () =>
      withSpan({ name: 'handler', kind: 'server' }, async () => {
        handlerTraceId = currentTraceIds()?.traceId;
        return c.get('/things', {
          query: { q: 'a b', n: [1, 2], skip: undefined },
        });
      }),
    );
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ ok: true });
    const [got] = s.received;
    expect(got!.url).toBe('/things?q=a+b&n=1&n=2');
    expect(got!.headers['x-request-id']).toBe('req-scope-1');
    const timeout = Number(got!.headers['x-kenos-timeout-ms']);
    expect(timeout).toBeGreaterThan(0);
    expect(timeout).toBeLessThanOrEqual(5000);
    expect(handlerTraceId).toMatch(/^[0-9a-f]{32}$/);
    expect(got!.headers['traceparent']).toMatch(
      new RegExp(`^00-${handlerTraceId}-[0-9a-f]{16}-0[01]$`),
    );
  });

  it('sends no request id outside a call scope, and its own timeout as the deadline', async () => {
    const s = await server((_req, res) => json(res, 200, {}));
    const c = client({
      baseUrl: `${s.url}/api/`,
      timeoutMs: 1234,
      headers: { 'X-Team': 'a' },
    });
    await c.post('/v1/items', {
      json: { name: 'x' },
      headers: { 'x-call': 'b' },
    });
    const [got] = s.received;
    expect(got!.url).toBe('/api/v1/items');
    expect(got!.headers['x-request-id']).toBeUndefined();
    expect(Number(got!.headers['x-kenos-timeout-ms'])).toBeLessThanOrEqual(
      1234,
    );
    expect(got!.headers['content-type']).toBe('application/json');
    expect(got!.headers['x-team']).toBe('a');
    expect(got!.headers['x-call']).toBe('b');
    expect(JSON.parse(got!.body)).toEqual({ name: 'x' });
  });

  it('fails a slow call within the inherited deadline, with the remaining time sent downstream', async () => {
    const s = await server((_req, res) => {
      setTimeout(() => json(res, 200, {}), 3000).unref();
    });
    const c = client({ baseUrl: s.url });
    const started = Date.now();
    const err = await caught(
      runInCallScope(scope({ deadline: started + 300 }), () => c.get('/slow')),
    );
    const elapsed = Date.now() - started;
    expect(err).toBeInstanceOf(DeadlineExceededError);
    expect((err.cause as ClientsError).code).toBe('KENOS_ERR_CLIENTS_DEADLINE');
    expect(elapsed).toBeLessThan(300 + 1500);
    expect(
      Number(s.received[0]!.headers['x-kenos-timeout-ms']),
    ).toBeLessThanOrEqual(300);
    expect(await tries()).toEqual({ '/timeout': 1 });
  });

  it('fails at once without sending when the inherited deadline has passed', async () => {
    const s = await server((_req, res) => json(res, 200, {}));
    const c = client({ baseUrl: s.url });
    const err = await caught(
      runInCallScope(scope({ deadline: Date.now() - 1 }), () => c.get('/x')),
    );
    expect(err).toBeInstanceOf(DeadlineExceededError);
    expect(s.received).toHaveLength(0);
  });

  it("stops a call when the call scope's signal aborts (the caller went away)", async () => {
    const s = await server((_req, res) => {
      setTimeout(() => json(res, 200, {}), 3000).unref();
    });
    const c = client({ baseUrl: s.url });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('client went away')), 100);
    const err = await caught(
      runInCallScope(scope({ signal: controller.signal }), () =>
        c.get('/slow'),
      ),
    );
    expect(err).toBeInstanceOf(ClientsError);
    expect((err as ClientsError).code).toBe('KENOS_ERR_CLIENTS_ABORTED');
    expect(await tries()).toEqual({ '/aborted': 1 });
  });

  it("fails with the deadline, not an abort, when the call scope's signal aborts at its deadline", async () => {
    // the REST transport aborts the scope's signal when the handler timeout (the scope's deadline) fires
    const s = await server((_req, res) => {
      setTimeout(() => json(res, 200, {}), 3000).unref();
    });
    const c = client({ baseUrl: s.url });
    const controller = new AbortController();
    const deadline = Date.now() + 300;
    setTimeout(
      () => controller.abort(new Error('handler timeout')),
      deadline - Date.now(),
    );
    const err = await caught(
      runInCallScope(scope({ deadline, signal: controller.signal }), () =>
        c.get('/slow'),
      ),
    );
    expect(err).toBeInstanceOf(DeadlineExceededError);
    expect((err.cause as ClientsError).code).toBe('KENOS_ERR_CLIENTS_DEADLINE');
  });

  it('rejects a call after close() with KENOS_ERR_CLIENTS_CLOSED, as the gRPC client does', async () => {
    const s = await server((_req, res) => json(res, 200, {}));
    const c = createHttpClient({ baseUrl: s.url });
    await c.close();
    for (const call of [() => c.get('/x'), () => c.fetch('/x')]) {
      const err = await caught(call());
      expect(err).toBeInstanceOf(ClientsError);
      expect((err as ClientsError).code).toBe('KENOS_ERR_CLIENTS_CLOSED');
    }
    expect(s.received).toHaveLength(0);
  });

  it('retries a GET that fails twice with 503 and records one observation per try', async () => {
    const s = await server((_req, res, n) =>
      n <= 2 ? json(res, 503, { n }) : json(res, 200, { n }),
    );
    const c = client({ baseUrl: s.url, retry: { baseDelayMs: 1 } });
    const res = await c.get('/flaky');
    expect(res.json()).toEqual({ n: 3 });
    expect(s.received).toHaveLength(3);
    expect(await tries()).toEqual({ '503/503': 2, '200/': 1 });
  });

  it('retries a refused connection, then fails with a connection error', async () => {
    const port = await closedPort();
    const c = client({
      baseUrl: `http://127.0.0.1:${port}`,
      retry: { maxAttempts: 3, baseDelayMs: 1 },
    });
    const err = await caught(c.get('/down'));
    expect(err).toBeInstanceOf(ClientsError);
    expect((err as ClientsError).code).toBe('KENOS_ERR_CLIENTS_CONNECTION');
    expect(await tries()).toEqual({ '/connection': 3 });
  });

  it('waits the Retry-After seconds of a 429 before the next try', async () => {
    const s = await server((_req, res, n) =>
      n === 1 ? json(res, 429, {}, { 'retry-after': '1' }) : json(res, 200, {}),
    );
    const c = client({ baseUrl: s.url, retry: { baseDelayMs: 1 } });
    await c.get('/limited');
    expect(s.received).toHaveLength(2);
    expect(s.received[1]!.at - s.received[0]!.at).toBeGreaterThanOrEqual(900);
  });

  it('does not retry when Retry-After asks to wait past the deadline', async () => {
    const later = new Date(Date.now() + 60_000).toUTCString();
    const s = await server((_req, res) =>
      json(res, 503, {}, { 'retry-after': later }),
    );
    const c = client({ baseUrl: s.url, timeoutMs: 2000 });
    const err = await caught(c.get('/busy'));
    expect((err as ClientsError).code).toBe('KENOS_ERR_CLIENTS_HTTP_STATUS');
    expect((err as ClientsError).status).toBe(503);
    expect(s.received).toHaveLength(1);
  });

  it('does not retry a POST, unless the call says it is idempotent', async () => {
    const s = await server((_req, res) => json(res, 503, {}));
    const c = client({ baseUrl: s.url, retry: { baseDelayMs: 1 } });
    await caught(c.post('/orders', { json: {} }));
    expect(s.received).toHaveLength(1);
    await caught(c.post('/orders', { json: {}, idempotent: true }));
    expect(s.received).toHaveLength(1 + 3);
  });

  it('does not retry a 500 or a 4xx', async () => {
    const s = await server((req, res) =>
      json(res, req.url === '/a' ? 500 : 404, {}),
    );
    const c = client({ baseUrl: s.url, retry: { baseDelayMs: 1 } });
    expect(((await caught(c.get('/a'))) as ClientsError).status).toBe(500);
    expect(((await caught(c.get('/b'))) as ClientsError).status).toBe(404);
    expect(s.received).toHaveLength(2);
  });

  it('keeps retries of an always failing server within the retry budget', async () => {
    const s = await server((_req, res) => json(res, 503, {}));
    const ratio = 0.1;
    const minRetriesPerSecond = 1;
    const windowMs = 10_000;
    const c = client({
      baseUrl: s.url,
      retry: {
        maxAttempts: 5,
        baseDelayMs: 0,
        budget: { ratio, minRetriesPerSecond, windowMs },
      },
    });
    const calls = 200;
    for (let i = 0; i < calls; i += 10)
      await Promise.all(
        Array.from({ length: 10 }, () => caught(c.get('/storm'))),
      );
    const floor = (minRetriesPerSecond * windowMs) / 1000;
    expect(s.received.length).toBeGreaterThan(calls);
    expect(s.received.length).toBeLessThanOrEqual(calls * (1 + ratio) + floor);
  });

  it('is a fetch for code that wants one', async () => {
    const s = await server((req, res) =>
      req.url.startsWith('/missing')
        ? json(res, 404, { missing: true })
        : json(res, 201, {
            echo: JSON.parse(req.body || 'null'),
            method: req.method,
          }),
    );
    const c = client({ baseUrl: s.url });
    const res = await runInCallScope(scope({ requestId: 'req-fetch-1' }), () =>
      c.fetch('/things?x=1', {
        method: 'POST',
        body: JSON.stringify({ a: 1 }),
        headers: { 'content-type': 'application/json' },
      }),
    );
    expect(res).toBeInstanceOf(Response);
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ echo: { a: 1 }, method: 'POST' });
    expect(s.received[0]!.url).toBe('/things?x=1');
    expect(s.received[0]!.headers['x-request-id']).toBe('req-fetch-1');
    // as fetch: a 4xx answer is a Response, not an error; an absolute URL of the same origin works
    const missing = await c.fetch(new URL('/missing', s.url));
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ missing: true });
    await expect(c.fetch('http://127.0.0.2:1/other')).rejects.toMatchObject({
      code: 'KENOS_ERR_CLIENTS_INVALID_ARGUMENT',
    });
  });

  it('refuses an invalid call with KENOS_ERR_CLIENTS_INVALID_ARGUMENT before sending it', async () => {
    const s = await server((_req, res) => json(res, 200, {}));
    const c = client({ baseUrl: s.url });
    for (const call of [
      () => c.get('no-slash'),
      () => c.get('/x', { timeoutMs: 0 }),
      () => c.get('/x', { timeoutMs: Number.NaN }),
      () => c.post('/x', { json: {}, body: 'x' }),
    ])
      await expect(call()).rejects.toMatchObject({
        code: 'KENOS_ERR_CLIENTS_INVALID_ARGUMENT',
      });
    expect(s.received).toHaveLength(0);
  });

  it('refuses invalid options with KENOS_ERR_CLIENTS_INVALID_ARGUMENT', () => {
    for (const options of [
      { baseUrl: 'not a url' },
      { baseUrl: 'ftp://host' },
      { baseUrl: 'http://host', timeoutMs: 0 },
      { baseUrl: 'http://host', retry: { maxAttempts: 1.5 } },
    ])
      expect(() => createHttpClient(options)).toThrow(
        expect.objectContaining({ code: 'KENOS_ERR_CLIENTS_INVALID_ARGUMENT' }),
      );
  });

  it('leaves the call scope as it found it', async () => {
    const s = await server((_req, res) => json(res, 200, {}));
    const c = client({ baseUrl: s.url });
    const sc = scope();
    await runInCallScope(sc, async () => {
      await c.get('/x');
      expect(currentCallScope()).toBe(sc);
    });
  });
});
