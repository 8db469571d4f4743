import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ServiceProcess,
  startService,
  stopAllServices,
} from '@kenos/testing';

// Client errors raised by express, its router and the body parser are answered 4xx problem+json with a stable code,
// logged at info without a stack and counted as 4xx, never as a server error (issue #16).

const fixture = fileURLToPath(
  new URL('./fixtures/service.mjs', import.meta.url),
);
let svc: ServiceProcess;

beforeAll(async () => {
  svc = await startService(fixture, 'api', { readyTimeoutMs: 30_000 });
});
afterAll(async () => {
  svc.kill('SIGTERM');
  await svc.exited;
  await stopAllServices();
});

interface RawResponse {
  status: number;
  headers: string;
  body: string;
}

/** Sends one raw HTTP/1.1 request (bytes as given: no client-side path normalisation) and reads the answer to the end. */
function rawRequest(
  head: string,
  body: Buffer = Buffer.alloc(0),
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(svc.ports.http as number, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () =>
      socket.destroy(
        new Error(`no answer to ${JSON.stringify(head.split('\r\n')[0])}`),
      ),
    );
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const [headers = '', responseBody = ''] = text.split('\r\n\r\n', 2);
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(headers)?.[1] ?? 0),
        headers,
        body: responseBody,
      });
    });
    socket.write(head);
    socket.write(body);
  });
}

const get = (path: string, requestId: string): Promise<RawResponse> =>
  rawRequest(
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nx-request-id: ${requestId}\r\nConnection: close\r\n\r\n`,
  );

const post = (
  path: string,
  headers: Record<string, string>,
  body: Buffer,
): Promise<RawResponse> =>
  rawRequest(
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('')}Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
    body,
  );

describe('HTTP client errors', () => {
  it('answers a malformed percent-encoding in a path parameter with 400, not 500', async () => {
    const res = await get('/hello/%ZZ', 'bad-path-1');
    expect(res.status).toBe(400);
    expect(res.headers).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(res.body)).toMatchObject({
      status: 400,
      title: 'Bad Request',
      code: 'KENOS_ERR_SERVER_MALFORMED_PATH',
      request_id: 'bad-path-1',
    });
    const access = await svc.waitForLine(
      (l) => l.msg === 'http request' && l['request_id'] === 'bad-path-1',
    );
    expect(access['http']).toMatchObject({ status: 400 });
  });

  it('logs a refused request at info with its code and reason, without a stack', async () => {
    await get('/hello/%E0%A4%A', 'bad-path-2');
    const line = await svc.waitForLine(
      (l) =>
        l.msg === 'http request refused' && l['request_id'] === 'bad-path-2',
    );
    expect(line).toMatchObject({
      level: 'info',
      code: 'KENOS_ERR_SERVER_MALFORMED_PATH',
      status: 400,
    });
    expect(JSON.stringify(line)).not.toMatch(/stack|node_modules/);
    expect(
      svc.lines.some(
        (l) => l['request_id'] === 'bad-path-2' && l.level === 'error',
      ),
    ).toBe(false);
  });

  it('answers an unsupported charset and an unsupported content encoding with 415 problem+json', async () => {
    const charset = await post(
      '/echo',
      { 'content-type': 'application/json; charset=klingon' },
      Buffer.from('{}'),
    );
    expect(charset.status).toBe(415);
    expect(JSON.parse(charset.body)).toMatchObject({
      status: 415,
      code: 'KENOS_ERR_SERVER_UNSUPPORTED_ENCODING',
    });
    const encoding = await post(
      '/echo',
      { 'content-type': 'application/json', 'content-encoding': 'x-klingon' },
      Buffer.from('{}'),
    );
    expect(encoding.status).toBe(415);
    expect(JSON.parse(encoding.body)).toMatchObject({
      status: 415,
      code: 'KENOS_ERR_SERVER_UNSUPPORTED_ENCODING',
    });
  });

  it('answers a body that is not valid gzip with 400 and a stable code', async () => {
    const res = await post(
      '/echo',
      { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      Buffer.from('not gzip'),
    );
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({
      status: 400,
      code: 'KENOS_ERR_SERVER_BAD_REQUEST',
    });
    const ok = await post(
      '/echo',
      { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      gzipSync('{"text":"zipped"}'),
    );
    expect(JSON.parse(ok.body)).toEqual({ text: 'zipped' });
  });

  it('still answers an error a handler throws with 500 (a thrown error is a client error only when it is marked so)', async () => {
    const res = await get('/boom-sync', 'still-500');
    expect(res.status).toBe(500);
  });

  it('answers a few hundred deterministic malformed paths, headers and bodies without a single 5xx, counted as 4xx', async () => {
    const random = mulberry32(16);
    const pick = <T>(xs: readonly T[]): T =>
      xs[Math.floor(random() * xs.length)] as T;
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    for (let i = 0; i < 300; i++) {
      const { head, body, label } = fuzzCase(i, random, pick);
      const res = await rawRequest(head, body);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status === 0 || res.status >= 500)
        failures.push(`${res.status} for ${label}`);
    }
    expect(failures).toEqual([]);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(30);
    expect(
      svc.lines.filter(
        (l) =>
          (l.level === 'error' || l.level === 'fatal') &&
          l['request_id'] !== 'still-500',
      ),
    ).toEqual([]);
    const metrics = await (
      await fetch(`http://127.0.0.1:${svc.ports.admin}/metrics`)
    ).text();
    expect(metrics).toMatch(
      /http_server_request_duration_seconds_count\{[^}]*http_response_status_code="400"[^}]*\} \d+/,
    );
    // the only 5xx in this process is the handler error of the test above
    const serverErrors = metrics
      .split('\n')
      .filter(
        (l) =>
          l.startsWith('http_server_request_duration_seconds_count') &&
          /http_response_status_code="5/.test(l),
      );
    expect(
      serverErrors.map((l) => /http_route="([^"]*)"/.exec(l)?.[1]),
    ).toEqual(['/boom-sync']);
  });
});

/** A small seeded PRNG, so every run sends the same requests. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEGMENTS = [
  '%ZZ',
  '%',
  '%4',
  '%E0%A4%A',
  '%C0%AF',
  '%FF%FE',
  '%00',
  '%2F',
  '..',
  '%2e%2e',
  'a%20b',
  '%%41',
  '%u0041',
  'Ada',
  '~',
  "'",
  '%F0%9F%98',
] as const;
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/json; charset=klingon',
  'application/json; charset=',
  'application/json;;',
  'text/plain',
  'application/x-www-form-urlencoded',
  '*/*',
  'application/',
] as const;
const ENCODINGS = [
  undefined,
  'gzip',
  'deflate',
  'br',
  'identity',
  'gzip, gzip',
  'x-klingon',
  'compress',
] as const;
const BODIES = [
  '{',
  '{"text":',
  '{"text":"x"}',
  'null',
  '[]',
  '"\u00ff',
  '\u0000\u0001',
  '{"text":1}',
  '{"__proto__":{"x":1}}',
  '1e999999',
  '',
] as const;

/** Case `i`: a GET with a malformed path, or a POST with a malformed body, type or encoding. */
function fuzzCase(
  i: number,
  random: () => number,
  pick: <T>(xs: readonly T[]) => T,
): { head: string; body: Buffer; label: string } {
  const segment = Array.from({ length: 1 + Math.floor(random() * 3) }, () =>
    pick(SEGMENTS),
  ).join('');
  if (i % 2 === 0) {
    const path =
      pick(['/hello/', '/', '/echo/', '/hello/x/']) +
      segment +
      (random() < 0.3 ? `?q=${pick(SEGMENTS)}` : '');
    const method = pick(['GET', 'GET', 'DELETE', 'PUT', 'OPTIONS', 'HEAD']);
    return {
      head: `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
      body: Buffer.alloc(0),
      label: `${method} ${path}`,
    };
  }
  const encoding = pick(ENCODINGS);
  let body = Buffer.from(pick(BODIES), 'latin1');
  if (random() < 0.3)
    body = Buffer.from(
      Array.from({ length: 1 + Math.floor(random() * 40) }, () =>
        Math.floor(random() * 256),
      ),
    );
  if (encoding === 'gzip' && random() < 0.5) body = gzipSync(body);
  const contentType = pick(CONTENT_TYPES);
  const headers = [
    `Content-Type: ${contentType}`,
    ...(encoding ? [`Content-Encoding: ${encoding}`] : []),
    `Content-Length: ${body.length}`,
  ];
  const path = random() < 0.8 ? '/echo' : `/hello/${segment}`;
  return {
    head: `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers.join('\r\n')}\r\nConnection: close\r\n\r\n`,
    body,
    label: `POST ${path} ${headers.join('; ')} body=${body.toString('hex').slice(0, 40)}`,
  };
}
