import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { connect, constants, type ClientHttp2Session } from 'node:http2';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { afterAll, describe, expect, it } from 'vitest';
import { grpcSessionsOf, sendGoawayToAll } from '../src/grpc/grpc-goaway.js';
import {
  type ServiceProcess,
  startService,
  stopAllServices,
} from '@kenos/testing';

const fixture = fileURLToPath(
  new URL('./fixtures/service.mjs', import.meta.url),
);
// long enough that every step below runs inside the delay, while the listeners are still open
const SHUTDOWN_DELAY_MS = '2500';

afterAll(() => stopAllServices());

function get(
  port: number,
  path: string,
  agent: Agent | false,
): Promise<{ status: number; headers: IncomingHttpHeaders; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          reused: req.reusedSocket,
        }),
      );
    });
    req.on('error', reject).end();
  });
}

/** One raw gRPC call of kenos.testing.v1.EchoService/Echo on an HTTP/2 session; resolves with its grpc-status. */
function echo(
  session: ClientHttp2Session,
  text: string,
  delayMs = 0,
  onHeaders?: () => void,
): Promise<string | undefined> {
  const varint = (n: number): number[] =>
    n > 0x7f ? [(n & 0x7f) | 0x80, ...varint(n >>> 7)] : [n];
  const t = Buffer.from(text);
  // EchoRequest { text = 1; delay_ms = 2 }, in a gRPC length-prefixed frame
  const message = Buffer.concat([
    Buffer.from([0x0a, t.length]),
    t,
    Buffer.from(delayMs > 0 ? [0x10, ...varint(delayMs)] : []),
  ]);
  const frame = Buffer.alloc(5 + message.length); // flag 0 (not compressed), length, message
  frame.writeUInt32BE(message.length, 1);
  message.copy(frame, 5);
  return new Promise((resolve, reject) => {
    const stream = session.request({
      ':method': 'POST',
      ':path': '/kenos.testing.v1.EchoService/Echo',
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    let status: string | undefined;
    stream.on('response', () => onHeaders?.());
    stream.on(
      'trailers',
      (trailers) => (status = String(trailers['grpc-status'])),
    );
    stream.on('error', reject);
    stream.on('close', () => resolve(status));
    stream.resume();
    stream.end(frame);
  });
}

function h2(port: number): {
  session: ClientHttp2Session;
  goaway: Promise<number>;
} {
  const session = connect(`http://127.0.0.1:${port}`);
  session.on('error', () => undefined);
  return {
    session,
    goaway: new Promise((resolve) =>
      session.once('goaway', (code: number) => resolve(code)),
    ),
  };
}

async function shuttingDown(svc: ServiceProcess): Promise<void> {
  svc.kill('SIGTERM');
  // logged after the transports were told (prepareStop runs when readiness turns false)
  await svc.waitForLine(
    (l) => typeof l.msg === 'string' && l.msg.startsWith('shutdown started'),
  );
}

describe('from the first moment of shutdown, during the delay', () => {
  it('answers every HTTP request with Connection: close, on a pooled keep-alive socket and on a new connection', async () => {
    const svc = await startService(fixture, 'api', {
      env: { SHUTDOWN_DELAY_MS },
      readyTimeoutMs: 30_000,
    });
    const port = svc.ports.http as number;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const before = await get(port, '/hello/before', agent);
      expect(before.headers['connection']).toBe('keep-alive');
      await shuttingDown(svc);
      const pooled = await get(port, '/hello/pooled', agent);
      expect(pooled).toMatchObject({ status: 200, reused: true });
      expect(pooled.headers['connection']).toBe('close');
      const fresh = await get(port, '/hello/fresh', false);
      expect(fresh.status).toBe(200);
      expect(fresh.headers['connection']).toBe('close');
      expect((await svc.exited).code).toBe(0);
    } finally {
      agent.destroy();
    }
  });

  it('sends GOAWAY to every gRPC connection, finishes the calls in flight and still serves new connections', async () => {
    const svc = await startService(fixture, 'api', {
      env: { SHUTDOWN_DELAY_MS },
      readyTimeoutMs: 30_000,
    });
    const port = svc.ports.grpc as number;
    const old = h2(port);
    const sessions = [old.session];
    try {
      expect(await echo(old.session, 'before')).toBe('0');
      let inFlightEnded = false;
      let started!: () => void;
      const handlerStarted = new Promise<void>(
        (resolve) => (started = resolve),
      );
      // the service sends the response headers when the call reached it
      const inFlight = echo(old.session, 'in-flight', 1500, () =>
        started(),
      ).finally(() => (inFlightEnded = true));
      await handlerStarted;
      await shuttingDown(svc);
      expect(await old.goaway).toBe(constants.NGHTTP2_NO_ERROR);
      expect(inFlightEnded, 'GOAWAY came before the call in flight ended').toBe(
        false,
      );
      expect(await inFlight).toBe('0');
      // a connection opened during the delay is served, then told to go away too
      const fresh = h2(port);
      sessions.push(fresh.session);
      expect(await echo(fresh.session, 'fresh')).toBe('0');
      expect(await fresh.goaway).toBe(constants.NGHTTP2_NO_ERROR);
      // ...while the listener still accepts: the GOAWAY came at the start of the delay, not at its end
      const later = h2(port);
      sessions.push(later.session);
      expect(await echo(later.session, 'later')).toBe('0');
      expect((await svc.exited).code).toBe(0);
    } finally {
      for (const s of sessions) s.destroy();
    }
  });
});

describe('after the delay, when the listeners close', () => {
  it('answers a gRPC call that outlasts the delay on a connection told to go away, before the process exits', async () => {
    // grpc-js's tryShutdown counts a session it finds closing (the early GOAWAY is a session.close()) as closed;
    // nothing else is in flight here to hold the exit, so a drain that believed it would exit mid-call
    const svc = await startService(fixture, 'api', {
      env: { SHUTDOWN_DELAY_MS: '200' },
      readyTimeoutMs: 30_000,
    });
    const old = h2(svc.ports.grpc as number);
    try {
      expect(await echo(old.session, 'before')).toBe('0');
      let started!: () => void;
      const handlerStarted = new Promise<void>(
        (resolve) => (started = resolve),
      );
      let answeredAt: number | undefined;
      const inFlight = echo(old.session, 'in-flight', 2000, () =>
        started(),
      ).finally(() => (answeredAt = Date.now()));
      await handlerStarted;
      await shuttingDown(svc);
      expect(await old.goaway).toBe(constants.NGHTTP2_NO_ERROR);
      expect(await inFlight, 'the call in flight').toBe('0');
      const { code, at } = await svc.exited;
      expect(code).toBe(0);
      expect(answeredAt).toBeLessThanOrEqual(at);
      expect(
        svc.lines.some((l) => l.msg === 'grpc drain deadline reached, forcing'),
      ).toBe(false);
    } finally {
      old.session.destroy();
    }
  });
});

describe('grpcSessionsOf', () => {
  // guards the one @grpc/grpc-js internal the early GOAWAY relies on: an upgrade that moves it fails here
  it('finds the HTTP/2 sessions of a bound @grpc/grpc-js server, and sendGoawayToAll reaches them', async () => {
    const server = new grpc.Server();
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(
        '127.0.0.1:0',
        grpc.ServerCredentials.createInsecure(),
        (err, p) => (err ? reject(err) : resolve(p)),
      ),
    );
    const client = h2(port);
    try {
      await new Promise<void>((resolve) =>
        client.session.once('remoteSettings', () => resolve()),
      );
      await expect
        .poll(() =>
          [...(grpcSessionsOf(server)?.values() ?? [])].reduce(
            (n, e) => n + e.sessions.size,
            0,
          ),
        )
        .toBe(1);
      // an unknown method still opens a stream: the session has received one, so GOAWAY goes out at once
      await echo(client.session, 'x');
      expect(sendGoawayToAll(server)).toBe(true);
      expect(await client.goaway).toBe(constants.NGHTTP2_NO_ERROR);
    } finally {
      client.session.destroy();
      server.forceShutdown();
    }
  });

  it('answers undefined, not a wrong guess, when a server keeps no sessions where expected', () => {
    expect(grpcSessionsOf({} as grpc.Server)).toBeUndefined();
    expect(
      grpcSessionsOf({
        http2Servers: new Map([[{}, {}]]),
      } as unknown as grpc.Server),
    ).toBeUndefined();
  });
});
