import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ServiceProcess,
  startService,
  stopAllServices,
} from '@kenos/testing';

// two Kenos services: the test calls `upstream`, whose handlers call `downstream` through createHttpClient
const fixture = fileURLToPath(
  new URL('./fixtures/service.mjs', import.meta.url),
);
let downstream: ServiceProcess;
let upstream: ServiceProcess;
let base: string;

beforeAll(async () => {
  downstream = await startService(fixture, 'api', { readyTimeoutMs: 30_000 });
  upstream = await startService(fixture, 'api', {
    env: { DOWNSTREAM_URL: `http://127.0.0.1:${downstream.ports.http}` },
    readyTimeoutMs: 30_000,
  });
  base = `http://127.0.0.1:${upstream.ports.http}`;
}, 60_000);
afterAll(async () => {
  await stopAllServices();
});

describe('a call between two Kenos services', () => {
  it('carries the request id, the trace and the remaining deadline of the request it is made for', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const res = await fetch(`${base}/call/seen`, {
      headers: {
        'x-request-id': 'rt-seen-1',
        traceparent: `00-${traceId}-b7ad6b7169203331-01`,
        'x-kenos-timeout-ms': '4000',
      },
    });
    expect(res.status).toBe(200);
    const seen = (await res.json()) as {
      requestId: string;
      remainingMs: number;
      traceparent: string;
      timeoutHeader: string;
    };
    expect(seen.requestId).toBe('rt-seen-1');
    expect(seen.traceparent).toMatch(new RegExp(`^00-${traceId}-`));
    expect(Number(seen.timeoutHeader)).toBeLessThanOrEqual(4000);
    expect(seen.remainingMs).toBeLessThanOrEqual(4000);
    // one client observation in the upstream's metrics
    const metrics = await (await fetch(upstream.adminUrl('/metrics'))).text();
    expect(metrics).toMatch(
      /http_client_request_duration_seconds_count\{[^}]*http_request_method="GET"[^}]*server_address="127\.0\.0\.1:\d+"[^}]*http_response_status_code="200"[^}]*\} [1-9]/,
    );
  });

  it.each([
    ['validation', 400, 'KENOS_ERR_SERVER_VALIDATION'],
    ['unauthenticated', 401, 'KENOS_ERR_SERVER_UNAUTHENTICATED'],
    ['permission-denied', 403, 'KENOS_ERR_SERVER_PERMISSION_DENIED'],
    ['not-found', 404, 'KENOS_ERR_SERVER_NOT_FOUND'],
    ['conflict', 409, 'KENOS_ERR_SERVER_CONFLICT'],
    ['unavailable', 503, 'KENOS_ERR_SERVER_UNAVAILABLE'],
    ['deadline', 504, 'KENOS_ERR_SERVER_DEADLINE_EXCEEDED'],
    ['crash', 500, 'KENOS_ERR_SERVER_INTERNAL'],
  ])(
    'turns a downstream %s problem back into the same answer upstream',
    async (kind, status, code) => {
      const res = await fetch(`${base}/call/errors/${kind}`);
      expect(res.status).toBe(status);
      const body = (await res.json()) as { code: string; errors?: unknown };
      expect(body.code).toBe(code);
      if (kind === 'validation')
        expect(body.errors).toEqual([
          { field: 'name', description: 'must not be empty' },
        ]);
      if (kind === 'crash')
        expect(JSON.stringify(body)).not.toContain('secret internal detail');
    },
  );

  it('answers 504 when a downstream call runs out of time', async () => {
    const started = Date.now();
    const res = await fetch(`${base}/call/slow`);
    expect(res.status).toBe(504);
    expect(((await res.json()) as { code: string }).code).toBe(
      'KENOS_ERR_SERVER_DEADLINE_EXCEEDED',
    );
    expect(Date.now() - started).toBeLessThan(300 + 2000);
  });
});
