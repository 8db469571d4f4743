import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createGrpcClient,
  startService,
  stopAllServices,
  unary,
  type ServiceProcess,
} from '@kenos/testing';
import type * as grpc from '@grpc/grpc-js';

// With the descriptor limit at 256, more slow-header connections than that to the API listeners used to take every
// descriptor: /ready and every normal request failed until the flood ended (issue #16). The HTTP and gRPC listeners
// now hold at most their cap (derived from the limit) and close the rest at accept, so the admin server keeps room.

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const withNofileLimit = fileURLToPath(
  new URL('./fixtures/nofile-limit.mjs', import.meta.url),
);
const proto = fileURLToPath(
  new URL('../proto/kenos/example/greeter/v1/greeter.proto', import.meta.url),
);
const NOFILE_LIMIT = 256;
const FLOOD = 300; // per listener: more connections than the process has descriptors

let svc: ServiceProcess;
let client: grpc.Client;
let floods: Flood[] = [];

beforeAll(async () => {
  svc = await startService(withNofileLimit, 'api', {
    env: { NOFILE_LIMIT: String(NOFILE_LIMIT), NOFILE_ENTRY: main },
  });
  client = createGrpcClient({
    protoPath: proto,
    service: 'kenos.example.greeter.v1.GreeterService',
    address: svc.grpcAddress(),
  });
});
afterEach(() => {
  for (const f of floods) f.close();
  floods = [];
});
afterAll(async () => {
  client?.close();
  const exit = await svc?.stop('SIGTERM', 15_000);
  await stopAllServices();
  expect(exit?.code).toBe(0);
});

interface Flood {
  /** Connections the server closed (at accept) so far. */
  readonly closed: () => number;
  /** Resolves once at least `n` connections were closed by the server. */
  closedAtLeast(n: number): Promise<void>;
  close(): void;
}

/** Opens `count` connections to `port` that each send `prefix` and then nothing: a request whose headers never end. */
async function openSlowConnections(
  port: number,
  count: number,
  prefix: string,
): Promise<Flood> {
  const sockets: Socket[] = [];
  let closed = 0;
  let waiter: { n: number; resolve: () => void } | undefined;
  await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<void>((resolve) => {
          const s = connect(port, '127.0.0.1', () => {
            s.write(prefix);
            resolve();
          });
          s.on('error', () => resolve()); // a reset of a connection closed at accept
          s.on('close', () => {
            closed++;
            if (waiter && closed >= waiter.n) waiter.resolve();
          });
          sockets.push(s);
        }),
    ),
  );
  const flood: Flood = {
    closed: () => closed,
    closedAtLeast: (n) =>
      closed >= n
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            const timer = setTimeout(
              () =>
                reject(
                  new Error(
                    `only ${closed} of ${count} connections closed by the server`,
                  ),
                ),
              15_000,
            );
            waiter = {
              n,
              resolve: () => {
                clearTimeout(timer);
                resolve();
              },
            };
          }),
    close: () => {
      for (const s of sockets) s.destroy();
    },
  };
  floods.push(flood);
  return flood;
}

const ready = (): Promise<number | string> =>
  fetch(svc.adminUrl('/ready'), { signal: AbortSignal.timeout(5000) }).then(
    (r) => r.status,
    (err: Error) =>
      `${err.message} (${String((err.cause as { code?: string } | undefined)?.code)})`,
  );

const greet = (): Promise<number | string> =>
  fetch(svc.url('/v1/greetings/Ada'), {
    signal: AbortSignal.timeout(5000),
  }).then(
    (r) => r.status,
    (err: Error) =>
      `${err.message} (${String((err.cause as { code?: string } | undefined)?.code)})`,
  );

/** A normal request once the flood is gone: the server notices the closed connections within a few tries. */
async function greetsAgain(): Promise<number | string> {
  let last: number | string = 0;
  for (let i = 0; i < 50 && last !== 200; i++) {
    last = await greet();
    if (last !== 200) await new Promise((r) => setTimeout(r, 100));
  }
  return last;
}

describe('connection caps under a connection flood (descriptor limit 256)', () => {
  it('answers /ready and serves gRPC while more slow-header HTTP connections than the descriptor limit are open', async () => {
    const flood = await openSlowConnections(
      svc.ports.http as number,
      FLOOD,
      'GET /v1/greetings/slow HTTP/1.1\r\nHost: 127.0.0.1\r\n',
    );
    // the process cannot hold more than its limit: once this many are closed, the server has been through the flood
    await flood.closedAtLeast(FLOOD - NOFILE_LIMIT);
    for (let i = 0; i < 5; i++) expect(await ready()).toBe(200);
    const { error, response } = await unary(
      client,
      'SayHello',
      { name: 'Flood' },
      { deadlineMs: 5000 },
    );
    expect(error).toBeUndefined();
    expect(response).toMatchObject({ message: 'Hello, Flood!' });
    flood.close();
    expect(await greetsAgain()).toBe(200);
  });

  it('logs the derived caps at startup and each listener at its cap with KENOS_ERR_SERVER_CONNECTION_LIMIT', async () => {
    const caps = await svc.waitForLine('connection caps');
    // (256 − min(256, 256 / 4)) / 2 listeners
    expect(caps).toMatchObject({
      open_files_limit: NOFILE_LIMIT,
      max_connections: { http: 96, grpc: 96 },
    });
    const warning = await svc.waitForLine(
      (l) =>
        l['code'] === 'KENOS_ERR_SERVER_CONNECTION_LIMIT' &&
        l['listener'] === 'http',
    );
    expect(warning).toMatchObject({ level: 'warn', max_connections: 96 });
  });

  it('answers /ready while both API listeners are flooded, and serves both once the flood is closed', async () => {
    const http = await openSlowConnections(
      svc.ports.http as number,
      FLOOD,
      'GET / HTTP/1.1\r\n',
    );
    const grpcFlood = await openSlowConnections(
      svc.ports.grpc as number,
      FLOOD,
      'PRI * HTTP/2.0\r\n',
    );
    await http.closedAtLeast(FLOOD - NOFILE_LIMIT);
    await grpcFlood.closedAtLeast(FLOOD - NOFILE_LIMIT);
    for (let i = 0; i < 5; i++) expect(await ready()).toBe(200);
    await svc.waitForLine(
      (l) =>
        l['code'] === 'KENOS_ERR_SERVER_CONNECTION_LIMIT' &&
        l['listener'] === 'grpc',
    );
    http.close();
    grpcFlood.close();
    expect(await greetsAgain()).toBe(200);
    const { error } = await unary(
      client,
      'SayHello',
      { name: 'After' },
      { deadlineMs: 10_000 },
    );
    expect(error).toBeUndefined();
    expect(
      svc.lines.filter((l) => l['level'] === 'error' || l['level'] === 'fatal'),
    ).toEqual([]);
  });
});
