import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createGrpcClient,
  ECHO_PROTO_PATH,
  type ServiceProcess,
  startService,
  stopAllServices,
  unary,
} from '@kenos/testing';

const fixture = fileURLToPath(
  new URL('./fixtures/service.mjs', import.meta.url),
);
const HANDLER_TIMEOUT_MS = 5000;
let svc: ServiceProcess;
let base: string;
let echo: grpc.Client;

beforeAll(async () => {
  svc = await startService(fixture, 'api', {
    env: { FIXTURE_HANDLER_TIMEOUT_MS: String(HANDLER_TIMEOUT_MS) },
    readyTimeoutMs: 30_000,
  });
  base = `http://127.0.0.1:${svc.ports.http}`;
  echo = createGrpcClient({
    protoPath: ECHO_PROTO_PATH,
    service: 'kenos.testing.v1.EchoService',
    address: `127.0.0.1:${svc.ports.grpc}`,
  });
});
afterAll(async () => {
  echo.close();
  await stopAllServices();
});

interface SeenScope {
  requestId: string;
  remainingMs: number;
  aborted: boolean;
}

async function scopeOf(headers: Record<string, string>): Promise<SeenScope> {
  const res = await fetch(`${base}/scope`, { headers });
  expect(res.status).toBe(200);
  return (await res.json()) as SeenScope;
}

async function lastAbort(
  requestId: string,
): Promise<{ requestId: string; reason: string }> {
  const until = Date.now() + 5000;
  for (;;) {
    const seen = (await (await fetch(`${base}/scope/last-abort`)).json()) as {
      requestId: string;
      reason: string;
    } | null;
    if (seen?.requestId === requestId || Date.now() > until)
      return seen ?? { requestId: '', reason: '' };
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the call scope of a REST request', () => {
  it('carries the request id and a deadline of the handler timeout', async () => {
    const scope = await scopeOf({ 'x-request-id': 'scope-rest-1' });
    expect(scope.requestId).toBe('scope-rest-1');
    expect(scope.remainingMs).toBeLessThanOrEqual(HANDLER_TIMEOUT_MS);
    expect(scope.remainingMs).toBeGreaterThan(HANDLER_TIMEOUT_MS - 2000);
    expect(scope.aborted).toBe(false);
  });

  it("lowers the deadline to the caller's x-kenos-timeout-ms", async () => {
    const scope = await scopeOf({ 'x-kenos-timeout-ms': '1500' });
    expect(scope.remainingMs).toBeLessThanOrEqual(1500);
    expect(scope.remainingMs).toBeGreaterThan(0);
  });

  it.each(['abc', '-5', '1e3', '0', '1.5', '99999999999'])(
    'ignores an invalid x-kenos-timeout-ms %j',
    async (value) => {
      const scope = await scopeOf({ 'x-kenos-timeout-ms': value });
      expect(scope.remainingMs).toBeGreaterThan(HANDLER_TIMEOUT_MS - 2000);
    },
  );

  it('keeps the handler timeout when the caller allows more', async () => {
    const scope = await scopeOf({ 'x-kenos-timeout-ms': '600000' });
    expect(scope.remainingMs).toBeLessThanOrEqual(HANDLER_TIMEOUT_MS);
  });

  it("answers 504 and aborts the scope's signal when the caller's deadline passes", async () => {
    const res = await fetch(`${base}/scope?wait=abort`, {
      headers: {
        'x-request-id': 'scope-deadline-1',
        'x-kenos-timeout-ms': '300',
      },
    });
    expect(res.status).toBe(504);
    expect(await res.json()).toMatchObject({
      code: 'KENOS_ERR_SERVER_DEADLINE_EXCEEDED',
      detail:
        "no answer within the caller's deadline (x-kenos-timeout-ms: 300)",
    });
    const seen = await lastAbort('scope-deadline-1');
    expect(seen.requestId).toBe('scope-deadline-1');
    expect(seen.reason).toMatch(/handler timeout/);
  });

  it("aborts the scope's signal when the client goes away", async () => {
    const controller = new AbortController();
    const pending = fetch(`${base}/scope?wait=abort`, {
      headers: { 'x-request-id': 'scope-gone-1' },
      signal: controller.signal,
    }).catch((err: unknown) => err);
    setTimeout(() => controller.abort(), 200);
    await pending;
    const seen = await lastAbort('scope-gone-1');
    expect(seen.requestId).toBe('scope-gone-1');
    expect(seen.reason).toBe('the client went away');
  });
});

describe('the call scope of a gRPC call', () => {
  it("carries the request id, the call's deadline and its signal", async () => {
    const md = new grpc.Metadata();
    md.set('x-request-id', 'scope-grpc-1');
    const { response } = await unary<{ text: string }>(
      echo,
      'Echo',
      { text: 'scope' },
      { metadata: md, deadlineMs: 3000 },
    );
    const seen = JSON.parse(response?.text ?? '{}') as {
      requestId: string;
      remainingMs: number;
      signalIsCallSignal: boolean;
    };
    expect(seen.requestId).toBe('scope-grpc-1');
    expect(seen.remainingMs).toBeLessThanOrEqual(3000);
    expect(seen.remainingMs).toBeGreaterThan(0);
    expect(seen.signalIsCallSignal).toBe(true);
  });
});
