import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import {
  currentTraceIds,
  shutdownTracing,
  startTracing,
  withSpan,
} from '@kenos/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rpcStatusOf } from './support/rpc-status.js';
import { grpcTraceInterceptor } from '../src/index.js';
import {
  createGrpcClient,
  ECHO_PROTO_PATH,
  listGrpcServices,
  type ServiceProcess,
  startService,
  stopAllServices,
  unary,
} from '@kenos/testing';

const fixture = fileURLToPath(
  new URL('./fixtures/service.mjs', import.meta.url),
);
const healthProto = fileURLToPath(
  new URL(
    'proto/health/v1/health.proto',
    import.meta.resolve('grpc-health-check/package.json'),
  ),
);
const echoClient = (
  address: string,
  clientOptions: grpc.ClientOptions = {},
): grpc.Client =>
  createGrpcClient({
    protoPath: ECHO_PROTO_PATH,
    service: 'kenos.testing.v1.EchoService',
    address,
    clientOptions,
  });
const healthClient = (address: string): grpc.Client =>
  createGrpcClient({
    protoPath: healthProto,
    service: 'grpc.health.v1.Health',
    address,
  });

let svc: ServiceProcess;
let address: string;
let echo: grpc.Client;

beforeAll(async () => {
  svc = await startService(fixture, 'api', {
    env: { SHUTDOWN_DELAY_MS: '300' },
    readyTimeoutMs: 30_000,
  });
  address = `127.0.0.1:${svc.ports.grpc}`;
  echo = echoClient(address);
});
afterAll(async () => {
  echo.close();
  await stopAllServices();
});

describe('gRPC transport', () => {
  // the fixture's handler answers `sync` with a plain value, anything else through a promise
  it.each([
    ['a promise it returns', 'hi', 'grpc-req-1'],
    ['a value it returns without a promise', 'sync', 'grpc-sync-1'],
  ])(
    'answers a unary call with %s and echoes the x-request-id metadata',
    async (_how, text, requestId) => {
      const md = new grpc.Metadata();
      md.set('x-request-id', requestId);
      const { response, metadata } = await unary<{
        text: string;
        requestId: string;
      }>(echo, 'Echo', { text }, { metadata: md });
      expect(response).toEqual({ text, requestId, header: '', count: '0' });
      expect(metadata?.get('x-request-id')).toEqual([requestId]);
      const line = await svc.waitForLine(
        (l) => l.msg === 'grpc call' && l['request_id'] === requestId,
      );
      expect(line['rpc']).toMatchObject({
        service: 'kenos.testing.v1.EchoService',
        method: 'Echo',
        status: 'OK',
        code: 0,
      });
      expect(line['trace_id']).toMatch(/^[0-9a-f]{32}$/);
    },
  );

  it('continues an incoming W3C traceparent from the call metadata', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const md = new grpc.Metadata();
    md.set('x-request-id', 'grpc-trace-1');
    md.set('traceparent', `00-${traceId}-b7ad6b7169203331-01`);
    await unary(echo, 'Echo', { text: 't' }, { metadata: md });
    const line = await svc.waitForLine(
      (l) => l.msg === 'grpc call' && l['request_id'] === 'grpc-trace-1',
    );
    expect(line['trace_id']).toBe(traceId);
  });

  it("joins the caller's trace when the client call goes through grpcTraceInterceptor", async () => {
    startTracing({ serviceName: 'caller', serviceVersion: '1', env: {} });
    const traced = echoClient(address, {
      interceptors: [grpcTraceInterceptor],
    });
    try {
      const caller = await withSpan({ name: 'caller' }, async () => {
        const md = new grpc.Metadata();
        md.set('x-request-id', 'grpc-client-trace-1');
        await unary(traced, 'Echo', { text: 'joined' }, { metadata: md });
        return currentTraceIds();
      });
      const line = await svc.waitForLine(
        (l) =>
          l.msg === 'grpc call' && l['request_id'] === 'grpc-client-trace-1',
      );
      expect(caller?.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(line['trace_id']).toBe(caller?.traceId);
      expect(line['span_id']).not.toBe(caller?.spanId);
      // outside any span the interceptor adds nothing: the server starts a new trace
      const md = new grpc.Metadata();
      md.set('x-request-id', 'grpc-client-trace-2');
      await unary(traced, 'Echo', { text: 'alone' }, { metadata: md });
      const alone = await svc.waitForLine(
        (l) =>
          l.msg === 'grpc call' && l['request_id'] === 'grpc-client-trace-2',
      );
      expect(alone['trace_id']).not.toBe(caller?.traceId);
    } finally {
      traced.close();
      await shutdownTracing();
    }
  });

  it('maps a ValidationError to INVALID_ARGUMENT with its message', async () => {
    const { error } = await unary(echo, 'Echo', {
      text: 'x',
      fail: 'validation',
    });
    expect(error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error?.details).toBe('text is invalid');
    expect(rpcStatusOf(error)).toEqual({
      code: grpc.status.INVALID_ARGUMENT,
      message: 'text is invalid',
      details: [
        {
          typeUrl: 'type.googleapis.com/google.rpc.ErrorInfo',
          value: {
            reason: 'KENOS_ERR_SERVER_VALIDATION',
            domain: 'kenos.dev',
            metadata: {},
          },
        },
        {
          typeUrl: 'type.googleapis.com/google.rpc.BadRequest',
          value: { fieldViolations: [{ field: 'text', description: 'bad' }] },
        },
      ],
    });
  });

  it('maps an unexpected exception to INTERNAL without internals', async () => {
    const { error } = await unary(echo, 'Echo', { text: 'x', fail: 'crash' });
    expect(error?.code).toBe(grpc.status.INTERNAL);
    expect(error?.details).not.toContain('secret');
    expect(error?.details).toMatch(/request id/);
  });

  it('maps errors a handler throws synchronously as it maps rejections', async () => {
    const validation = await unary(echo, 'Echo', {
      text: 'x',
      fail: 'sync-validation',
    });
    expect(validation.error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(rpcStatusOf(validation.error).details[0]?.value).toMatchObject({
      reason: 'KENOS_ERR_SERVER_VALIDATION',
    });
    const crash = await unary(echo, 'Echo', { text: 'x', fail: 'sync-crash' });
    expect(crash.error?.code).toBe(grpc.status.INTERNAL);
    expect(crash.error?.details).not.toContain('secret');
    expect(crash.error?.details).toMatch(/request id/);
  });

  it('honours the client deadline', async () => {
    const { error } = await unary(
      echo,
      'Echo',
      { text: 'slow', delayMs: 2000 },
      { deadlineMs: 200 },
    );
    expect(error?.code).toBe(grpc.status.DEADLINE_EXCEEDED);
  });

  it('records a handler aborted by the deadline as DEADLINE_EXCEEDED, not as an internal error', async () => {
    const md = new grpc.Metadata();
    md.set('x-request-id', 'grpc-deadline-1');
    const { error } = await unary(
      echo,
      'Echo',
      { text: 'slow-abortable', delayMs: 5000 },
      { metadata: md, deadlineMs: 200 },
    );
    expect(error?.code).toBe(grpc.status.DEADLINE_EXCEEDED);
    const line = await svc.waitForLine(
      (l) => l.msg === 'grpc call' && l['request_id'] === 'grpc-deadline-1',
    );
    expect(line['level']).toBe('info');
    expect(line['rpc']).toMatchObject({ status: 'DEADLINE_EXCEEDED', code: 4 });
    const text = await (
      await fetch(`http://127.0.0.1:${svc.ports.admin}/metrics`)
    ).text();
    expect(text).toMatch(
      /rpc_server_call_duration_seconds_count\{[^}]*rpc_method="Echo"[^}]*rpc_grpc_status_code="4"[^}]*\} [1-9]/,
    );
  });

  it('records a handler aborted because the client cancelled as CANCELLED, not as an internal error', async () => {
    const md = new grpc.Metadata();
    md.set('x-request-id', 'grpc-cancel-1');
    const code = await new Promise<number | undefined>((resolve) => {
      const call = (
        echo as unknown as Record<
          string,
          (
            req: unknown,
            md: grpc.Metadata,
            cb: (err: grpc.ServiceError | null) => void,
          ) => grpc.ClientUnaryCall
        >
      )['Echo']!.call(
        echo,
        { text: 'slow-abortable', delayMs: 5000 },
        md,
        (err) => resolve(err?.code),
      );
      setTimeout(() => call.cancel(), 200);
    });
    expect(code).toBe(grpc.status.CANCELLED);
    const line = await svc.waitForLine(
      (l) => l.msg === 'grpc call' && l['request_id'] === 'grpc-cancel-1',
    );
    expect(line['level']).toBe('info');
    expect(line['rpc']).toMatchObject({ status: 'CANCELLED', code: 1 });
  });

  it('rejects a message over the 4 MiB limit with RESOURCE_EXHAUSTED', async () => {
    const { error } = await unary(echo, 'Echo', {
      text: 'x'.repeat(4 * 1024 * 1024 + 1),
    });
    expect(error?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
  });

  it('records rpc metrics on the admin port', async () => {
    await unary(echo, 'Echo', { text: 'm' });
    const text = await (
      await fetch(`http://127.0.0.1:${svc.ports.admin}/metrics`)
    ).text();
    expect(text).toMatch(
      /rpc_server_call_duration_seconds_count\{[^}]*rpc_service="kenos\.testing\.v1\.EchoService"[^}]*\} \d+/,
    );
  });

  it('lists the served services through server reflection', async () => {
    const names = await listGrpcServices(address);
    expect(names).toEqual(
      expect.arrayContaining([
        'kenos.testing.v1.EchoService',
        'grpc.health.v1.Health',
      ]),
    );
  });

  it('turns /ready and gRPC health NOT_SERVING while a critical health check fails, and back', async () => {
    const health = healthClient(address);
    const ready = () =>
      fetch(`http://127.0.0.1:${svc.ports.admin}/ready`).then((r) => r.status);
    const overall = async () =>
      (await unary<{ status: string }>(health, 'Check', { service: '' }))
        .response?.status;
    await fetch(`http://127.0.0.1:${svc.ports.http}/health/down`, {
      method: 'POST',
    });
    await expect.poll(ready, { timeout: 5000, interval: 50 }).toBe(500);
    await expect
      .poll(overall, { timeout: 5000, interval: 50 })
      .toBe('NOT_SERVING');
    const detail = (await (
      await fetch(`http://127.0.0.1:${svc.ports.admin}/health`)
    ).json()) as unknown;
    expect(JSON.stringify(detail)).toContain('fixture-dependency');
    await fetch(`http://127.0.0.1:${svc.ports.http}/health/up`, {
      method: 'POST',
    });
    await expect.poll(ready, { timeout: 5000, interval: 50 }).toBe(200);
    await expect.poll(overall, { timeout: 5000, interval: 50 }).toBe('SERVING');
    health.close();
  });

  it('reports SERVING overall and per service, then NOT_SERVING on Watch from the first moment of shutdown', async () => {
    const health = healthClient(address);
    for (const service of ['', 'kenos.testing.v1.EchoService']) {
      const { response } = await unary<{ status: string }>(health, 'Check', {
        service,
      });
      expect(response?.status).toBe('SERVING');
    }
    const { error } = await unary(health, 'Check', {
      service: 'no.such.Service',
    });
    expect(error?.code).toBe(grpc.status.NOT_FOUND);

    const statuses: string[] = [];
    const watch = (
      health as unknown as {
        watch(req: unknown): grpc.ClientReadableStream<{ status: string }>;
      }
    ).watch({ service: 'kenos.testing.v1.EchoService' });
    const ended = new Promise<void>((resolve) => {
      watch.on('data', (m) => statuses.push(m.status));
      watch.on('error', () => resolve());
      watch.on('end', () => resolve());
    });
    await expect.poll(() => statuses, { timeout: 5000 }).toEqual(['SERVING']);
    const signalled = Date.now();
    svc.kill('SIGTERM');
    await expect
      .poll(() => statuses, { timeout: 5000 })
      .toEqual(['SERVING', 'NOT_SERVING']);
    // within the shutdown delay (300 ms) the service still answers, and Check agrees
    const during = await unary<{ status: string }>(health, 'Check', {
      service: '',
    });
    expect(during.response?.status ?? during.error?.code).toBeDefined();
    await ended;
    const { code, at } = await svc.exited;
    expect(code).toBe(0);
    expect(at - signalled).toBeLessThan(10_000);
    health.close();
  });
});
