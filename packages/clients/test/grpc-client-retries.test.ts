import { createServer } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { UnavailableError } from '@kenos/server';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientsError, createGrpcClient } from '../src/index.js';
import {
  EchoService,
  startEchoServer,
  type EchoServer,
} from './support/echo-server.js';

const servers: EchoServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});

const unavailable = { code: grpc.status.UNAVAILABLE, details: 'try again' };
const fast = { initialBackoffMs: 10, maxBackoffMs: 50 };

describe('gRPC client retries', () => {
  it('retries UNAVAILABLE and succeeds when the server recovers', async () => {
    const server = await startEchoServer(({ request }, i) =>
      i < 2 ? unavailable : { text: request.text },
    );
    servers.push(server);
    const client = createGrpcClient(EchoService, server.address, {
      retry: fast,
    });
    try {
      await expect(client.echo({ text: 'third time' })).resolves.toMatchObject({
        text: 'third time',
      });
      expect(server.calls.length).toBe(3);
    } finally {
      client.close();
    }
  });

  it('keeps retries within the retry budget when the server always fails', async () => {
    const server = await startEchoServer(() => unavailable);
    servers.push(server);
    const client = createGrpcClient(EchoService, server.address, {
      retry: fast,
    });
    try {
      const calls = 200;
      for (let i = 0; i < calls; i++) {
        await expect(client.echo({ text: String(i) })).rejects.toBeInstanceOf(
          UnavailableError,
        );
      }
      // without a budget 3 tries each (600); the token bucket stops retrying after a few failures
      expect(server.calls.length).toBeGreaterThanOrEqual(calls);
      expect(server.calls.length).toBeLessThanOrEqual(calls * 1.1);
    } finally {
      client.close();
    }
  });

  it('does not retry RESOURCE_EXHAUSTED unless the caller opts in', async () => {
    const exhausted = {
      code: grpc.status.RESOURCE_EXHAUSTED,
      details: 'shedding',
    };
    const plain = await startEchoServer(() => exhausted);
    servers.push(plain);
    const client = createGrpcClient(EchoService, plain.address, {
      retry: fast,
    });
    try {
      await expect(client.echo({ text: 'x' })).rejects.toMatchObject({
        code: 'KENOS_ERR_CLIENTS_GRPC_STATUS',
        status: grpc.status.RESOURCE_EXHAUSTED,
      });
      expect(plain.calls.length).toBe(1);
    } finally {
      client.close();
    }
    const optedIn = await startEchoServer(({ request }, i) =>
      i === 0 ? exhausted : { text: request.text },
    );
    servers.push(optedIn);
    const retrying = createGrpcClient(EchoService, optedIn.address, {
      retry: {
        ...fast,
        retryableStatusCodes: ['UNAVAILABLE', 'RESOURCE_EXHAUSTED'],
      },
    });
    try {
      await expect(retrying.echo({ text: 'y' })).resolves.toMatchObject({
        text: 'y',
      });
      expect(optedIn.calls.length).toBe(2);
    } finally {
      retrying.close();
    }
  });

  it('does not retry when retries are off', async () => {
    const server = await startEchoServer(() => unavailable);
    servers.push(server);
    const client = createGrpcClient(EchoService, server.address, {
      retry: false,
    });
    try {
      await expect(client.echo({ text: 'once' })).rejects.toBeInstanceOf(
        UnavailableError,
      );
      expect(server.calls.length).toBe(1);
    } finally {
      client.close();
    }
  });

  it('rejects a call to a server that is down with UnavailableError within its timeout', async () => {
    // a port that was free a moment ago: nothing listens on it
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const p = (probe.address() as { port: number }).port;
        probe.close(() => resolve(p));
      });
    });
    const client = createGrpcClient(EchoService, `127.0.0.1:${port}`, {
      timeoutMs: 3000,
      retry: fast,
    });
    try {
      const started = Date.now();
      const call = client.echo({ text: 'nobody home' });
      await expect(call).rejects.toBeInstanceOf(UnavailableError);
      await expect(call).rejects.not.toBeInstanceOf(ClientsError);
      expect(Date.now() - started).toBeLessThan(3000 + 1500);
    } finally {
      client.close();
    }
  });
});
