import * as grpc from '@grpc/grpc-js';
import { DeadlineExceededError, runInCallScope } from '@kenos/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientsError, createGrpcClient } from '../src/index.js';
import {
  EchoService,
  sleep,
  startEchoServer,
  type EchoServer,
} from './support/echo-server.js';

let server: EchoServer;

beforeAll(async () => {
  // answers after delayMs (bounded), so a test can outlast its deadline
  server = await startEchoServer(async ({ request }) => {
    await sleep(Math.min(request.delayMs, 5000));
    return { text: request.text };
  });
});
afterAll(async () => {
  await server.stop();
});

const scope = (deadlineInMs: number, signal?: AbortSignal) => ({
  requestId: 'deadline-test',
  deadline: Date.now() + deadlineInMs,
  signal,
});

describe('gRPC client deadlines', () => {
  it('sends the deadline of the call scope when it is shorter than timeoutMs', async () => {
    const client = createGrpcClient(EchoService, server.address);
    try {
      await runInCallScope(scope(1500), () => client.echo({ text: 'inherit' }));
      const seen = server.calls.at(-1);
      expect(seen?.request.text).toBe('inherit');
      expect(seen?.remainingMs).toBeLessThanOrEqual(1500);
      expect(seen?.remainingMs).toBeGreaterThan(0);
    } finally {
      client.close();
    }
  });

  it('sends timeoutMs when it is shorter than the scope deadline', async () => {
    const client = createGrpcClient(EchoService, server.address, {
      timeoutMs: 800,
    });
    try {
      await runInCallScope(scope(60_000), () => client.echo({ text: 'own' }));
      expect(server.calls.at(-1)?.remainingMs).toBeLessThanOrEqual(800);
    } finally {
      client.close();
    }
  });

  it('rejects a call to a slow server with DeadlineExceededError (KENOS_ERR_CLIENTS_DEADLINE) at the inherited deadline, not later', async () => {
    const client = createGrpcClient(EchoService, server.address);
    try {
      const started = Date.now();
      const call = runInCallScope(scope(300), () =>
        client.echo({ text: 'slow', delayMs: 5000 }),
      );
      // the HTTP client's deadline error: 504 / DEADLINE_EXCEEDED when a handler lets it pass
      const err = (await call.catch(
        (e: unknown) => e,
      )) as DeadlineExceededError;
      expect(err).toBeInstanceOf(DeadlineExceededError);
      expect(err.code).toBe('KENOS_ERR_SERVER_DEADLINE_EXCEEDED');
      const cause = err.cause as ClientsError;
      expect(cause).toBeInstanceOf(ClientsError);
      expect(cause.code).toBe('KENOS_ERR_CLIENTS_DEADLINE');
      expect((cause.cause as grpc.ServiceError).code).toBe(
        grpc.status.DEADLINE_EXCEEDED,
      );
      // the deadline plus a bound for a loaded machine, far below the server's 5 s
      expect(Date.now() - started).toBeLessThan(300 + 1500);
    } finally {
      client.close();
    }
  });

  it('fails at once without sending when the inherited deadline has passed', async () => {
    const client = createGrpcClient(EchoService, server.address);
    try {
      const before = server.calls.length;
      const call = runInCallScope(
        { requestId: 'late', deadline: Date.now() - 1, signal: undefined },
        () => client.echo({ text: 'never sent' }),
      );
      await expect(call).rejects.toBeInstanceOf(DeadlineExceededError);
      await expect(call).rejects.toMatchObject({
        cause: { code: 'KENOS_ERR_CLIENTS_DEADLINE' },
      });
      await sleep(100);
      expect(server.calls.length).toBe(before);
    } finally {
      client.close();
    }
  });

  it('cancels the call when the call scope is aborted (the caller went away)', async () => {
    const client = createGrpcClient(EchoService, server.address);
    try {
      const controller = new AbortController();
      const call = runInCallScope(scope(30_000, controller.signal), () =>
        client.echo({ text: 'abandoned', delayMs: 5000 }),
      );
      setTimeout(() => controller.abort(new Error('client went away')), 100);
      await expect(call).rejects.toMatchObject({
        code: 'KENOS_ERR_CLIENTS_ABORTED',
        cause: new Error('client went away'),
      });
    } finally {
      client.close();
    }
  });

  it('cancels the call when the signal of the call options aborts', async () => {
    const client = createGrpcClient(EchoService, server.address);
    try {
      const signal = AbortSignal.timeout(100);
      await expect(
        client.echo({ text: 'mine', delayMs: 5000 }, { signal }),
      ).rejects.toMatchObject({ code: 'KENOS_ERR_CLIENTS_ABORTED' });
      const aborted = AbortSignal.abort();
      await expect(
        client.echo({ text: 'never' }, { signal: aborted }),
      ).rejects.toMatchObject({ code: 'KENOS_ERR_CLIENTS_ABORTED' });
    } finally {
      client.close();
    }
  });

  it('rejects at the deadline when the call scope is aborted by its own deadline timer', async () => {
    // the REST transport aborts the scope's signal when the handler timeout (the scope's deadline) fires
    const client = createGrpcClient(EchoService, server.address);
    try {
      const controller = new AbortController();
      const s = scope(300, controller.signal);
      setTimeout(
        () => controller.abort(new Error('handler timeout')),
        s.deadline - Date.now(),
      );
      const started = Date.now();
      const call = runInCallScope(s, () =>
        client.echo({ text: 'timed out', delayMs: 5000 }),
      );
      await expect(call).rejects.toBeInstanceOf(DeadlineExceededError);
      expect(Date.now() - started).toBeLessThan(300 + 1500);
    } finally {
      client.close();
    }
  });

  it('refuses a call timeoutMs that is not a positive number, as the HTTP client does', async () => {
    const client = createGrpcClient(EchoService, server.address);
    try {
      for (const timeoutMs of [0, -1, Number.NaN])
        await expect(
          client.echo({ text: 'x' }, { timeoutMs }),
        ).rejects.toMatchObject({ code: 'KENOS_ERR_CLIENTS_INVALID_ARGUMENT' });
    } finally {
      client.close();
    }
  });
});
