import { runInCallScope } from '@kenos/server';
import {
  createMetrics,
  setProcessMetrics,
  shutdownTracing,
  startTracing,
  withSpan,
  currentTraceIds,
} from '@kenos/telemetry';
import {
  afterAll,
  beforeAll,
  describe,
  expect,
  expectTypeOf,
  it,
} from 'vitest';
import type { EchoRequest } from './generated/kenos/testing/v1/EchoRequest.js';
import type { EchoResponse__Output } from './generated/kenos/testing/v1/EchoResponse.js';
import { ClientsError, createGrpcClient } from '../src/index.js';
import {
  EchoService,
  startEchoServer,
  type EchoServer,
} from './support/echo-server.js';

let server: EchoServer;

beforeAll(async () => {
  server = await startEchoServer(({ request, metadata }) => ({
    text: request.text,
    requestId: String(metadata.get('x-request-id')[0] ?? ''),
    header: String(metadata.get('traceparent')[0] ?? ''),
    count: request.count,
  }));
});
afterAll(async () => {
  await server.stop();
});

describe('gRPC client', () => {
  it('makes a typed unary call and resolves with the response message', async () => {
    const client = createGrpcClient(EchoService, server.address);
    try {
      const response = await client.echo({
        text: 'hello',
        count: '9007199254740993',
      });
      expect(response.text).toBe('hello');
      // the output type of the generated definition: 64-bit ints as strings
      expect(response.count).toBe('9007199254740993');
    } finally {
      client.close();
    }
  });

  it('types each method with the request and response types of the generated definition', () => {
    const client = createGrpcClient(EchoService, server.address);
    try {
      expectTypeOf(client.echo).parameter(0).toEqualTypeOf<EchoRequest>();
      expectTypeOf(
        client.echo,
      ).returns.resolves.toEqualTypeOf<EchoResponse__Output>();
      // never called: only type-checked
      const misuse = (): void => {
        // @ts-expect-error a field of the wrong type
        void client.echo({ text: 1 });
        // @ts-expect-error no such method
        void client.shout({ text: 'x' });
      };
      expect(typeof misuse).toBe('function');
    } finally {
      client.close();
    }
  });

  it('sends the request id of the call scope and the trace context of a client span', async () => {
    startTracing({ serviceName: 'caller', serviceVersion: '1', env: {} });
    const client = createGrpcClient(EchoService, server.address);
    try {
      const { response, parent } = await runInCallScope(
        { requestId: 'req-scope-1', deadline: undefined, signal: undefined },
        () =>
          withSpan({ name: 'handler', kind: 'server' }, async () => ({
            parent: currentTraceIds(),
            response: await client.echo({ text: 'traced' }),
          })),
      );
      expect(response.requestId).toBe('req-scope-1');
      const [, traceId, spanId] = response.header.split('-');
      expect(traceId).toBe(parent?.traceId);
      // the client span's id, not the handler's
      expect(spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(spanId).not.toBe(parent?.spanId);
    } finally {
      client.close();
      await shutdownTracing();
    }
  });

  it('keeps a request id the caller set in the metadata', async () => {
    const client = createGrpcClient(EchoService, server.address);
    try {
      const response = await runInCallScope(
        { requestId: 'from-scope', deadline: undefined, signal: undefined },
        () =>
          client.echo({ text: 'x' }, { metadata: { 'x-request-id': 'mine' } }),
      );
      expect(response.requestId).toBe('mine');
    } finally {
      client.close();
    }
  });

  it('records every call in rpc_client_call_duration_seconds of the process metrics', async () => {
    const metrics = createMetrics({
      service: 'caller',
      version: '1',
      collectDefaultMetrics: false,
    });
    setProcessMetrics(metrics);
    const client = createGrpcClient(EchoService, server.address);
    try {
      await client.echo({ text: 'a' });
      await client.echo({ text: 'b' });
      const text = await metrics.registry.metrics();
      expect(text).toMatch(
        /rpc_client_call_duration_seconds_count\{[^}]*rpc_service="kenos.testing.v1.EchoService",rpc_method="Echo",rpc_grpc_status_code="0"[^}]*\} 2/,
      );
    } finally {
      client.close();
      setProcessMetrics(undefined);
    }
  });

  it('shares one channel between clients of the same target and options, until the last one closes', async () => {
    const a = createGrpcClient(EchoService, server.address);
    const b = createGrpcClient(EchoService, server.address);
    await a.echo({ text: 'a' });
    a.close();
    // b's channel is still open
    await expect(b.echo({ text: 'b' })).resolves.toMatchObject({ text: 'b' });
    b.close();
    const closed = b.echo({ text: 'late' });
    await expect(closed).rejects.toBeInstanceOf(ClientsError);
    await expect(closed).rejects.toMatchObject({
      code: 'KENOS_ERR_CLIENTS_CLOSED',
    });
  });

  it('refuses invalid options with KENOS_ERR_CLIENTS_INVALID_ARGUMENT', () => {
    expect(() =>
      createGrpcClient(EchoService, server.address, {
        retry: { maxAttempts: 6 },
      }),
    ).toThrow(
      expect.objectContaining({ code: 'KENOS_ERR_CLIENTS_INVALID_ARGUMENT' }),
    );
    expect(() =>
      createGrpcClient(EchoService, server.address, { timeoutMs: 0 }),
    ).toThrow(
      expect.objectContaining({ code: 'KENOS_ERR_CLIENTS_INVALID_ARGUMENT' }),
    );
  });
});
