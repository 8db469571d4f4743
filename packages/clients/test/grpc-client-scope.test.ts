import { fileURLToPath } from 'node:url';
import { DeadlineExceededError } from '@kenos/server';
import {
  startService,
  stopAllServices,
  type ServiceProcess,
} from '@kenos/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGrpcClient, type GrpcClient } from '../src/index.js';
import { EchoService } from './support/echo-server.js';

// two Kenos services: the test calls `upstream` (REST or gRPC), whose handlers call `downstream`'s Echo
// through createGrpcClient, inheriting the deadline of the incoming request or call
const fixture = fileURLToPath(
  new URL('./fixtures/kenos-echo-service.mjs', import.meta.url),
);
let downstream: ServiceProcess;
let upstream: ServiceProcess;
let client: GrpcClient<typeof EchoService.service>;

beforeAll(async () => {
  downstream = await startService(fixture, 'api', { readyTimeoutMs: 30_000 });
  upstream = await startService(fixture, 'api', {
    env: { DOWNSTREAM_GRPC: downstream.grpcAddress() },
    readyTimeoutMs: 30_000,
  });
  client = createGrpcClient(EchoService, upstream.grpcAddress());
}, 60_000);
afterAll(async () => {
  client?.close();
  await stopAllServices();
});

const restUrl = (query: string): string =>
  `http://127.0.0.1:${upstream.ports.http}/call/echo?${query}`;

describe('the gRPC client in a Kenos service', () => {
  it('sends the remaining deadline and the request id of the REST request it is made for (x-kenos-timeout-ms)', async () => {
    const res = await fetch(restUrl('fail=remaining'), {
      headers: { 'x-request-id': 'grpc-scope-1', 'x-kenos-timeout-ms': '4000' },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { text: string; requestId: string };
    expect(body.requestId).toBe('grpc-scope-1');
    expect(Number(body.text)).toBeGreaterThan(0);
    expect(Number(body.text)).toBeLessThanOrEqual(4000);
  });

  it("answers 504 at the REST caller's deadline when the gRPC call downstream is slow, not later", async () => {
    const started = Date.now();
    const res = await fetch(restUrl('fail=remaining&delayMs=5000'), {
      headers: { 'x-kenos-timeout-ms': '300' },
    });
    expect(res.status).toBe(504);
    expect(((await res.json()) as { code: string }).code).toBe(
      'KENOS_ERR_SERVER_DEADLINE_EXCEEDED',
    );
    expect(Date.now() - started).toBeLessThan(300 + 1500);
  });

  it('sends the remaining deadline of the gRPC call it is made for', async () => {
    const answer = await client.echo(
      { text: 'x', fail: 'forward' },
      { timeoutMs: 3000 },
    );
    expect(Number(answer.text)).toBeGreaterThan(0);
    expect(Number(answer.text)).toBeLessThanOrEqual(3000);
  });

  it('rejects with DeadlineExceededError when a forwarded call outlasts the caller deadline', async () => {
    const started = Date.now();
    const call = client.echo(
      { text: 'x', fail: 'forward', delayMs: 5000 },
      { timeoutMs: 400 },
    );
    await expect(call).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(Date.now() - started).toBeLessThan(400 + 1500);
  });
});
