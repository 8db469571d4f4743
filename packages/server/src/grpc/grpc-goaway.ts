import type { EventEmitter } from 'node:events';
import type { ServerHttp2Session } from 'node:http2';
import type * as grpc from '@grpc/grpc-js';

/**
 * What `@grpc/grpc-js` (checked with 1.14) keeps of its HTTP/2 listeners: `Server#http2Servers`, a Map from each
 * `http2.Http2Server` to `{ sessions: Set<ServerHttp2Session> }` (its open connections). Not public API: grpc-js
 * has no public way to send GOAWAY to every connection while it keeps serving (`drain(port)` misses the
 * connections opened after it, `tryShutdown` also stops listening). {@link grpcSessionsOf} checks the shape, so
 * a grpc-js upgrade that changes it makes `test/prepare-stop.test.ts` fail, and production only loses the early
 * GOAWAY (clients then learn to move at the drain, as with `tryShutdown`).
 */
interface Http2ServerEntry {
  sessions: Set<ServerHttp2Session>;
}

/** The HTTP/2 listeners of a grpc-js server and their open sessions; `undefined` when grpc-js no longer keeps them where expected. */
export function grpcSessionsOf(
  server: grpc.Server,
): Map<EventEmitter, Http2ServerEntry> | undefined {
  const servers = (server as unknown as { http2Servers?: unknown })
    .http2Servers;
  if (!(servers instanceof Map)) return undefined;
  for (const [listener, entry] of servers as Map<unknown, unknown>) {
    const sessions = (entry as { sessions?: unknown } | undefined)?.sessions;
    if (
      typeof (listener as EventEmitter | undefined)?.on !== 'function' ||
      !(sessions instanceof Set)
    )
      return undefined;
  }
  return servers as Map<EventEmitter, Http2ServerEntry>;
}

/** Graceful close of one session: GOAWAY (NO_ERROR, last stream = the last one received), its streams finish, then it closes. */
function closeGracefully(session: ServerHttp2Session): void {
  if (!session.closed && !session.destroyed) session.close();
}

/** GOAWAY now if the session has received a stream, else once its first stream ended. */
function goaway(session: ServerHttp2Session): void {
  if (session.closed || session.destroyed) return;
  if ((session.state.lastProcStreamID ?? 0) > 0)
    return closeGracefully(session);
  session.once('stream', (stream: EventEmitter) =>
    stream.once('close', () => closeGracefully(session)),
  );
}

/**
 * Sends GOAWAY to every HTTP/2 connection of `server` and keeps serving: every call the server received still
 * runs to its end, and the listener still accepts connections. A client that gets GOAWAY sends its next calls on
 * a new connection, through the load balancer again; a call it sent at the same moment is refused (REFUSED_STREAM,
 * never seen by a handler), which clients with gRPC transparent retries (grpc-js among them) send again.
 *
 * A connection that has not received a stream yet, and every connection opened from now on (the load balancer may
 * still route to this process for a while), gets GOAWAY once its first stream ended, not at once: a client that
 * sees GOAWAY before its connection is ready counts a failed connection attempt (backoff, and calls without
 * wait-for-ready fail UNAVAILABLE); and after its first call, every call it had queued for the new connection was
 * received, so none is refused.
 *
 * One GOAWAY, the one of `session.close()` (last stream id = the last stream received), not RFC 9113's "shutdown
 * notice" with the largest id first: Node's nghttp2 ignores every new stream once any GOAWAY was sent, so a call
 * racing a shutdown notice would be dropped silently instead of refused.
 *
 * Returns false, and does nothing, when the server's sessions cannot be found ({@link grpcSessionsOf}).
 */
export function sendGoawayToAll(server: grpc.Server): boolean {
  const servers = grpcSessionsOf(server);
  if (!servers) return false;
  for (const [listener, { sessions }] of servers) {
    for (const session of sessions) goaway(session);
    listener.on('session', goaway);
  }
  return true;
}
