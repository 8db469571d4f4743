import type { Socket } from 'node:net';

/** The client connections a gRPC transport handed to grpc-js, for a drain that waits on them (see {@link trackConnections}). */
export interface GrpcConnections {
  /** Counts `socket` as open until it emits `close`. */
  add(socket: Socket): void;
  /** Connections not closed yet. */
  readonly size: number;
  /** Resolves once every connection open now has closed (at once when none is open). */
  allClosed(): Promise<void>;
  /** Destroys every connection still open: the end of a drain that ran out of time. */
  destroyAll(): void;
}

/**
 * The sockets of the gRPC listener, so that the drain ends when the last one has closed and not when grpc-js says so.
 *
 * `Server#tryShutdown` calls back once each of its HTTP/2 sessions has closed, but it takes a session that is already
 * closing for a closed one (grpc-js checks `session.closed`, which Node sets as soon as `session.close()` has sent
 * GOAWAY, while that session's streams still run). The early GOAWAY of the shutdown delay is such a `session.close()`
 * (./grpc-goaway.ts), so on every connection that got it, a call that outlasts the delay would still be running when
 * `tryShutdown` calls back, and the process would exit under it: its client sees `14 UNAVAILABLE: Connection
 * dropped`. Node closes a gracefully closed session's socket only after its last stream ended and everything written
 * was flushed (`socket.end()`), so "every socket has closed" is the moment the drain is over.
 */
export function trackConnections(): GrpcConnections {
  const open = new Set<Socket>();
  return {
    add(socket) {
      if (socket.destroyed) return;
      open.add(socket);
      socket.once('close', () => open.delete(socket));
    },
    get size() {
      return open.size;
    },
    allClosed() {
      return Promise.all(
        [...open].map(
          (socket) =>
            new Promise<void>((resolve) => {
              if (!open.has(socket)) resolve();
              else socket.once('close', () => resolve());
            }),
        ),
      ).then(() => undefined);
    },
    destroyAll() {
      for (const socket of open) socket.destroy();
    },
  };
}
