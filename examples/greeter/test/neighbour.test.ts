// Two greeter processes: the upstream's GET /v1/relayed-greetings/:name asks the downstream through
// @kenos/clients. One trace, one request id and one deadline across both services. A platform test
// of this repository (not copied into generated services).
import { fileURLToPath } from 'node:url';
import {
  startService,
  stopAllServices,
  type ServiceProcess,
} from '@kenos/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

let downstream: ServiceProcess;
let upstream: ServiceProcess;

beforeAll(async () => {
  // the downstream accepts shorter names than the upstream: its refusals travel back
  downstream = await startService(main, 'api', {
    env: { GREETER_MAX_NAME_LENGTH: '10' },
  });
  upstream = await startService(main, 'api', {
    env: {
      GREETER_NEIGHBOUR_URL: `http://127.0.0.1:${downstream.ports.http}`,
    },
  });
}, 30_000);

afterAll(async () => {
  const exits = await Promise.all(
    [upstream, downstream].filter(Boolean).map((p) => p.stop('SIGTERM')),
  );
  await stopAllServices();
  expect(exits.map((e) => e.code)).toEqual([0, 0]);
}, 30_000);

const accessLine = (svc: ServiceProcess, requestId: string, path: string) =>
  svc.waitForLine(
    (l) =>
      l.msg === 'http request' &&
      l['request_id'] === requestId &&
      (l['http'] as { path?: string } | undefined)?.path === path,
  );

describe('a greeting relayed to a neighbour greeter', () => {
  it("answers with the neighbour's greeting, under one trace id and one request id in both services", async () => {
    const res = await fetch(upstream.url('/v1/relayed-greetings/Ada'), {
      headers: {
        'x-request-id': 'relay-trace-1',
        traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`,
      },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ message: 'Hello, Ada!' });
    const up = await accessLine(
      upstream,
      'relay-trace-1',
      '/v1/relayed-greetings/Ada',
    );
    const down = await accessLine(
      downstream,
      'relay-trace-1',
      '/v1/greetings/Ada',
    );
    expect(up['trace_id']).toBe(TRACE_ID);
    expect(down['trace_id']).toBe(TRACE_ID);
    expect(down['http']).toMatchObject({ status: 200 });
  });

  it("gives the neighbour the request's remaining time: a slow neighbour is a 504 within the deadline", async () => {
    const started = Date.now();
    const res = await fetch(
      upstream.url('/v1/relayed-greetings/Slow?delay_ms=5000'),
      {
        headers: {
          'x-request-id': 'relay-slow-1',
          'x-kenos-timeout-ms': '800',
        },
      },
    );
    const elapsed = Date.now() - started;
    expect(res.status).toBe(504);
    expect(await res.json()).toMatchObject({
      status: 504,
      code: 'KENOS_ERR_SERVER_DEADLINE_EXCEEDED',
    });
    // at the 800 ms deadline, far from the neighbour's 5 s (the margin is for a loaded machine)
    expect(elapsed).toBeGreaterThanOrEqual(700);
    expect(elapsed).toBeLessThan(3000);
    // the neighbour stopped at the same deadline too: it was handed the remaining time, not its own
    const down = await accessLine(
      downstream,
      'relay-slow-1',
      '/v1/greetings/Slow',
    );
    const http = down['http'] as { status: number; duration_ms: number };
    expect(http.duration_ms).toBeLessThan(3000);
    expect(down['aborted'] === true || http.status === 504).toBe(true);
  });

  it("passes the neighbour's refusal back as the same 400 problem+json with its field violations", async () => {
    const res = await fetch(upstream.url('/v1/relayed-greetings/Bartholomew'));
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(
      /^application\/problem\+json/,
    );
    expect(await res.json()).toMatchObject({
      status: 400,
      code: 'KENOS_ERR_SERVER_VALIDATION',
      errors: [{ field: 'name' }],
    });
  });

  it('refuses invalid input itself, without asking the neighbour', async () => {
    const res = await fetch(
      upstream.url('/v1/relayed-greetings/Ada?delay_ms=abc'),
      { headers: { 'x-request-id': 'relay-invalid-1' } },
    );
    expect(res.status).toBe(400);
    await accessLine(upstream, 'relay-invalid-1', '/v1/relayed-greetings/Ada');
    expect(
      downstream.lines.some((l) => l['request_id'] === 'relay-invalid-1'),
    ).toBe(false);
  });
});
