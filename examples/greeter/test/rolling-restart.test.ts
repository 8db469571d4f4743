import { Agent, get as httpGet, request } from 'node:http';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createGrpcClient,
  startService,
  stopAllServices,
  unary,
  type ServiceProcess,
} from '@kenos/testing';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const proto = fileURLToPath(
  new URL('../proto/kenos/example/greeter/v1/greeter.proto', import.meta.url),
);
const SHUTDOWN_DELAY_MS = 1000;
const ROUNDS = 3;
const READY_POLL_MS = 100; // how often the balancer reads /ready, as kube-proxy follows the endpoints
const PERIOD_MS = 25; // each client loop sends one request per period: 5 HTTP loops ≈ 200 req/s, 2 gRPC loops ≈ 80 calls/s

const sleep = (ms: number): Promise<void> =>
  new Promise((r) => setTimeout(r, ms));

interface Backend {
  readonly svc: ServiceProcess;
  readonly ports: { http: number; grpc: number; admin: number };
  ready: boolean;
}

/** One gRPC connection through the balancer, and when (test clock) the backend's first HTTP/2 GOAWAY frame passed. */
interface GrpcConnection {
  readonly backend: Backend;
  readonly openedAt: number;
  closedAt?: number;
  goawayAt?: number;
}

/** Calls `onGoaway` when the backend-to-client byte stream of an HTTP/2 connection carries a GOAWAY frame (type 7). */
function watchGoaway(upstream: Socket, onGoaway: () => void): void {
  let buffered = Buffer.alloc(0);
  upstream.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    // the server side of HTTP/2 starts with frames at once (no preface): 9-byte header, then `length` bytes
    while (
      buffered.length >= 9 &&
      buffered.length >= 9 + buffered.readUIntBE(0, 3)
    ) {
      if (buffered[3] === 7) onGoaway();
      buffered = buffered.subarray(9 + buffered.readUIntBE(0, 3));
    }
  });
}

/**
 * A connection-level TCP balancer, as kube-proxy is: each NEW connection goes to one backend whose `/ready`
 * answered 200 at the last poll; the connection then stays pinned to that backend until one side closes it.
 * Half-closes are passed on as FIN, errors as RST, so a client sees what the backend did. HTTP connections go
 * round-robin; gRPC connections to the oldest ready backend, the one the next round stops, so that every
 * round has gRPC connections pinned to the instance that shuts down.
 */
class ConnectionBalancer {
  readonly backends = new Set<Backend>();
  readonly grpcConnections: GrpcConnection[] = [];
  readonly #servers: Server[] = [];
  readonly #sockets = new Set<Socket>();
  #next = 0;
  #polling = true;
  readonly #poller: Promise<void>;

  constructor() {
    this.#poller = (async () => {
      while (this.#polling) {
        await Promise.all(
          [...this.backends].map(
            async (b) => (b.ready = await this.#isReady(b.ports.admin)),
          ),
        );
        await sleep(READY_POLL_MS);
      }
    })();
  }

  #isReady(port: number): Promise<boolean> {
    return new Promise((resolve) => {
      const req = httpGet(
        {
          host: '127.0.0.1',
          port,
          path: '/ready',
          agent: false,
          timeout: 1000,
        },
        (res) => {
          res.resume();
          resolve(res.statusCode === 200);
        },
      );
      req.on('error', () => resolve(false));
      req.on('timeout', () => req.destroy());
    });
  }

  /** Listens on an ephemeral 127.0.0.1 port that forwards to each backend's `kind` port; resolves with that port. */
  listen(kind: 'http' | 'grpc'): Promise<number> {
    const server = createServer({ allowHalfOpen: true }, (client) =>
      this.#forward(client, kind),
    );
    this.#servers.push(server);
    return new Promise((resolve) =>
      server.listen(0, '127.0.0.1', () =>
        resolve((server.address() as { port: number }).port),
      ),
    );
  }

  #forward(client: Socket, kind: 'http' | 'grpc'): void {
    this.#track(client);
    const ready = [...this.backends].filter((b) => b.ready);
    const backend =
      kind === 'grpc'
        ? ready[0]
        : ready[this.#next++ % Math.max(1, ready.length)];
    if (!backend) return void client.resetAndDestroy();
    const upstream = connect({
      host: '127.0.0.1',
      port: backend.ports[kind],
      allowHalfOpen: true,
    });
    this.#track(upstream);
    if (kind === 'grpc') {
      const connection: GrpcConnection = { backend, openedAt: Date.now() };
      this.grpcConnections.push(connection);
      watchGoaway(upstream, () => (connection.goawayAt ??= Date.now()));
      client.once('close', () => (connection.closedAt = Date.now()));
    }
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      a.on('error', () => b.resetAndDestroy());
      a.pipe(b);
    }
  }

  #track(socket: Socket): void {
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
  }

  async close(): Promise<void> {
    this.#polling = false;
    await this.#poller;
    for (const s of this.#sockets) s.destroy();
    await Promise.all(this.#servers.map((s) => new Promise((r) => s.close(r))));
  }
}

async function startBackend(): Promise<Backend> {
  const svc = await startService(main, 'api', {
    env: {
      SHUTDOWN_DELAY_MS: String(SHUTDOWN_DELAY_MS),
      SHUTDOWN_TIMEOUT_MS: '15000',
    },
  });
  return { svc, ports: svc.ports as Backend['ports'], ready: false };
}

async function until(
  what: string,
  condition: () => boolean,
  timeoutMs = 10_000,
): Promise<void> {
  for (const end = Date.now() + timeoutMs; !condition(); await sleep(20)) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
  }
}

function getThroughAgent(
  agent: Agent,
  port: number,
  path: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, agent, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    })
      .on('timeout', function (this: { destroy(err: Error): void }) {
        this.destroy(new Error('timeout'));
      })
      .on('error', reject)
      .end();
  });
}

/** One client loop: a request per period until `stopped()`; counts successes, collects failures. */
async function loop(
  label: string,
  once: (i: number) => Promise<void>,
  stopped: () => boolean,
  tally: { ok: number; failures: string[] },
): Promise<void> {
  for (let i = 0; !stopped(); i++) {
    const started = performance.now();
    try {
      await once(i);
      tally.ok++;
    } catch (err) {
      const e = err as Error & {
        cause?: { code?: string; message?: string };
        code?: unknown;
      };
      tally.failures.push(
        `${label}: ${e.message}${e.cause ? ` (${e.cause.code ?? e.cause.message})` : ''}`,
      );
    }
    await sleep(Math.max(0, PERIOD_MS - (performance.now() - started)));
  }
}

afterAll(() => stopAllServices());

describe('rolling restart behind a connection-level balancer', () => {
  it(
    'fails no HTTP request and no gRPC call of keep-alive clients pinned to the instances that shut down (3 rounds)',
    { timeout: 90_000 },
    async () => {
      const balancer = new ConnectionBalancer();
      const agent = new Agent({ keepAlive: true });
      let clients: ReturnType<typeof createGrpcClient>[] = [];
      try {
        const [httpPort, grpcPort, grpcPort2] = await Promise.all([
          balancer.listen('http'),
          balancer.listen('grpc'),
          balancer.listen('grpc'),
        ]);
        const live: Backend[] = await Promise.all([
          startBackend(),
          startBackend(),
        ]);
        for (const b of live) balancer.backends.add(b);
        await until('both instances in the balancer', () =>
          live.every((b) => b.ready),
        );

        // two channels on two balancer ports: two connections (grpc-js shares one per address)
        clients = [grpcPort, grpcPort2].map((port) =>
          createGrpcClient({
            protoPath: proto,
            service: 'kenos.example.greeter.v1.GreeterService',
            address: `127.0.0.1:${port}`,
          }),
        );
        const grpcClients = clients;
        const http = { ok: 0, failures: [] as string[] };
        const rpc = { ok: 0, failures: [] as string[] };
        let stop = false;
        const stopped = (): boolean => stop;
        const loops = [
          ...Array.from({ length: 3 }, (_, w) =>
            loop(
              `http agent ${w}`,
              async (i) => {
                const status = await getThroughAgent(
                  agent,
                  httpPort,
                  `/v1/greetings/a${w}-${i}`,
                );
                if (status !== 200) throw new Error(`status ${status}`);
              },
              stopped,
              http,
            ),
          ),
          ...Array.from({ length: 2 }, (_, w) =>
            loop(
              `fetch ${w}`,
              async (i) => {
                const res = await fetch(
                  `http://127.0.0.1:${httpPort}/v1/greetings/f${w}-${i}`,
                  {
                    signal: AbortSignal.timeout(5000),
                  },
                );
                await res.text();
                if (res.status !== 200) throw new Error(`status ${res.status}`);
              },
              stopped,
              http,
            ),
          ),
          ...Array.from({ length: 2 }, (_, w) =>
            loop(
              `grpc ${w}`,
              async (i) => {
                const { error } = await unary(
                  grpcClients[w] as (typeof grpcClients)[number],
                  'SayHello',
                  { name: `g${w}-${i}` },
                );
                if (error) throw new Error(`${error.code} ${error.details}`);
              },
              stopped,
              rpc,
            ),
          ),
        ];

        await sleep(1000);
        const rounds: {
          round: number;
          exitCode: number | null;
          exitMs: number;
          pinnedGrpc: number;
          openedDuringDelay: number;
          goawayMs: (number | null)[];
        }[] = [];
        for (let round = 1; round <= ROUNDS; round++) {
          const fresh = await startBackend();
          balancer.backends.add(fresh);
          await until(
            `round ${round}: the new instance in the balancer`,
            () => fresh.ready,
          );
          const old = live.shift() as Backend;
          const signalled = Date.now();
          old.svc.kill('SIGTERM');
          const { code, at } = await old.svc.exited;
          balancer.backends.delete(old);
          live.push(fresh);
          // the instance's own clock: when it turned unready; its listeners closed SHUTDOWN_DELAY_MS later
          const started = old.svc.lines.find(
            (l) =>
              typeof l.msg === 'string' && l.msg.startsWith('shutdown started'),
          );
          const unreadyAt = Date.parse(String(started?.['time']));
          const pinned = balancer.grpcConnections.filter(
            (c) =>
              c.backend === old &&
              c.openedAt <= signalled &&
              (c.closedAt ?? Infinity) > signalled,
          );
          rounds.push({
            round,
            exitCode: code,
            exitMs: at - signalled,
            pinnedGrpc: pinned.length,
            // opened before the balancer saw /ready fail: served, then sent away after their first call
            openedDuringDelay: balancer.grpcConnections.filter(
              (c) => c.backend === old && c.openedAt > signalled,
            ).length,
            goawayMs: pinned.map((c) =>
              c.goawayAt === undefined ? null : c.goawayAt - unreadyAt,
            ),
          });
          await sleep(300);
        }
        stop = true;
        await Promise.all(loops);
        console.log(
          'rolling restart',
          JSON.stringify({
            rounds,
            http: { ok: http.ok, failed: http.failures.length },
            grpc: { ok: rpc.ok, failed: rpc.failures.length },
          }),
        );

        expect(
          rounds.map((r) => r.exitCode),
          'every instance that shut down exited 0',
        ).toEqual(Array(ROUNDS).fill(0));
        expect(
          http.failures,
          `${http.failures.length} of ${http.ok + http.failures.length} HTTP requests failed`,
        ).toEqual([]);
        expect(
          rpc.failures,
          `${rpc.failures.length} of ${rpc.ok + rpc.failures.length} gRPC calls failed`,
        ).toEqual([]);
        // GOAWAY at the start of the delay, not when the listener closes: pinned gRPC clients move while it still serves
        for (const r of rounds) {
          expect(
            r.pinnedGrpc,
            `round ${r.round}: gRPC connections pinned to the instance that shut down`,
          ).toBeGreaterThan(0);
          for (const ms of r.goawayMs)
            expect(
              ms,
              `round ${r.round}: GOAWAY, ms after readiness turned false`,
            ).toBeLessThan(SHUTDOWN_DELAY_MS);
        }
        expect(http.ok).toBeGreaterThan(200);
        expect(rpc.ok).toBeGreaterThan(50);
      } finally {
        for (const c of clients) c.close();
        agent.destroy();
        await balancer.close();
      }
    },
  );
});
