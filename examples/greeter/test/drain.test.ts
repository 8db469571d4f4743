import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createGrpcClient,
  startService,
  stopAllServices,
  unary,
} from '@kenos/testing';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const proto = fileURLToPath(
  new URL('../proto/kenos/example/greeter/v1/greeter.proto', import.meta.url),
);
const SHUTDOWN_DELAY_MS = 700;
const LONGEST_REQUEST_MS = 1200; // one HTTP request and one gRPC call still running when the listeners close
const MARGIN_MS = 4000; // a busy 2-core CI machine

afterAll(() => stopAllServices());

function get(
  agent: Agent,
  port: number,
  path: string,
  onHeaders?: (h: Record<string, unknown>) => void,
): Promise<number> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, agent }, (res) => {
      onHeaders?.(res.headers);
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    })
      .on('error', reject)
      .end();
  });
}

async function drainRound(
  round: number,
): Promise<{ http: number; grpc: number; exitMs: number }> {
  const svc = await startService(main, 'api', {
    env: {
      SHUTDOWN_DELAY_MS: String(SHUTDOWN_DELAY_MS),
      SHUTDOWN_TIMEOUT_MS: '15000',
    },
  });
  const {
    http: httpPort,
    grpc: grpcPort,
    admin,
  } = svc.ports as Required<typeof svc.ports>;
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const client = createGrpcClient({
    protoPath: proto,
    service: 'kenos.example.greeter.v1.GreeterService',
    address: `127.0.0.1:${grpcPort}`,
  });
  let stop = false;
  const failures: string[] = [];
  let httpOk = 0;
  let grpcOk = 0;
  // as Kubernetes endpoints would: stop routing new requests as soon as /ready fails
  const poller = (async () => {
    while (!stop) {
      const ok = await fetch(`http://127.0.0.1:${admin}/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (!ok) stop = true;
      else await new Promise((r) => setTimeout(r, 25));
    }
  })();
  const delayFor = (i: number): number =>
    i % 4 === 0 ? 300 + ((i * 37) % 201) : 0;
  const httpLoops = Array.from({ length: 4 }, async (_, w) => {
    for (let i = 0; !stop && i < 10_000; i++) {
      try {
        const status = await get(
          agent,
          httpPort,
          `/v1/greetings/w${w}?delay_ms=${delayFor(i + w)}`,
        );
        if (status === 200) httpOk++;
        else failures.push(`http status ${status}`);
      } catch (err) {
        failures.push(`http ${(err as Error).message}`);
      }
    }
  });
  const grpcLoops = Array.from({ length: 2 }, async (_, w) => {
    for (let i = 0; !stop && i < 10_000; i++) {
      const { error } = await unary(client, 'SayHello', {
        name: `g${w}`,
        delayMs: delayFor(i + w + 1),
      });
      if (error) failures.push(`grpc ${error.code} ${error.details}`);
      else grpcOk++;
    }
  });
  await new Promise((r) => setTimeout(r, 700));
  let longConnection: unknown;
  const longHttp = get(
    agent,
    httpPort,
    `/v1/greetings/long?delay_ms=${LONGEST_REQUEST_MS}`,
    (h) => (longConnection = h['connection']),
  );
  const longGrpc = unary(client, 'SayHello', {
    name: 'long',
    delayMs: LONGEST_REQUEST_MS,
  });
  // long enough for both to reach the server on a loaded 2-core CI machine (a call that is still on its way
  // when GOAWAY goes out is refused and retried elsewhere, which is right but not what this test is about);
  // they still run LONGEST_REQUEST_MS - 300 ms after SIGTERM, past the shutdown delay that closes the listeners
  await new Promise((r) => setTimeout(r, 300));
  const signalled = Date.now();
  svc.kill('SIGTERM');
  await Promise.all([...httpLoops, ...grpcLoops, poller]);
  expect(
    await longHttp,
    `round ${round}: the request in flight when the listener closed`,
  ).toBe(200);
  expect(longConnection, 'its keep-alive socket is closed after it').toBe(
    'close',
  );
  expect(
    (await longGrpc).error,
    `round ${round}: the call in flight when the listener closed`,
  ).toBeUndefined();
  const { code, at } = await svc.exited;
  agent.destroy();
  client.close();
  expect(failures, `round ${round}`).toEqual([]);
  expect(code, `round ${round} exit code`).toBe(0);
  expect(at - signalled, `round ${round} exit time`).toBeLessThan(
    SHUTDOWN_DELAY_MS + LONGEST_REQUEST_MS + MARGIN_MS,
  );
  expect(httpOk).toBeGreaterThan(4);
  expect(grpcOk).toBeGreaterThan(2);
  return { http: httpOk, grpc: grpcOk, exitMs: at - signalled };
}

describe('drain on SIGTERM', () => {
  it(
    'answers every request sent before readiness failed, then exits 0 in time (3 rounds)',
    { timeout: 90_000 },
    async () => {
      const rounds = [];
      for (let round = 1; round <= 3; round++)
        rounds.push(await drainRound(round));
      console.log('drain rounds', JSON.stringify(rounds));
    },
  );
});
