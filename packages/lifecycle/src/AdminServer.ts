import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LifecycleError, toError } from './errors.js';
import type { LifecycleLogger } from './logger.js';
import type { AdminRouteHandler, LifecycleSnapshot } from './types.js';

// node:http through process.getBuiltinModule, not an ESM import: importing node:http from ESM syncs every export
// of its facade, and one lazy getter loads Node's bundled undici (fetch): ~35 ms of startup for nothing.
const { createServer } = process.getBuiltinModule('node:http');

/** What the admin server reads to answer the probes. */
export interface ProbeSource {
  isReady(): boolean;
  snapshot(): LifecycleSnapshot;
}

const BUILT_IN = new Set(['/live', '/ready', '/health']);

/**
 * The admin HTTP server: `/live`, `/ready`, `/health` and mounted routes, on plain `node:http`
 * (no framework: it answers three fixed paths and must start fast and stay small).
 */
export class AdminServer {
  readonly #routes = new Map<string, Map<string, AdminRouteHandler>>();
  readonly #probes: ProbeSource;
  readonly #logger: LifecycleLogger;
  #server: Server | undefined;

  constructor(probes: ProbeSource, logger: LifecycleLogger) {
    this.#probes = probes;
    this.#logger = logger;
  }

  /** Mounts `handler` on `method path`; throws `KENOS_ERR_LIFECYCLE_DUPLICATE_NAME` if taken. */
  addRoute(method: string, path: string, handler: AdminRouteHandler): void {
    const verb = method.toUpperCase();
    if (!path.startsWith('/') || typeof handler !== 'function') {
      throw new LifecycleError(
        'KENOS_ERR_LIFECYCLE_INVALID_OPTIONS',
        `admin route ${verb} ${path}: the path must start with "/" and the handler must be a function`,
      );
    }
    const byMethod =
      this.#routes.get(path) ?? new Map<string, AdminRouteHandler>();
    if (BUILT_IN.has(path) || byMethod.has(verb)) {
      throw new LifecycleError(
        'KENOS_ERR_LIFECYCLE_DUPLICATE_NAME',
        `admin route ${verb} ${path} is already mounted`,
      );
    }
    byMethod.set(verb, handler);
    this.#routes.set(path, byMethod);
  }

  /** Binds `host:port` and resolves with the bound port. */
  async listen(port: number, host: string): Promise<number> {
    const server = createServer((req, res) => {
      this.#handle(req, res);
    });
    server.keepAliveTimeout = 5000;
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => {
        reject(
          new LifecycleError(
            'KENOS_ERR_LIFECYCLE_ADMIN_LISTEN',
            `the admin server cannot listen on ${host}:${port} (${err.message})`,
            { cause: err },
          ),
        );
      };
      server.once('error', onError);
      server.listen({ port, host }, () => {
        server.off('error', onError);
        resolve();
      });
    });
    server.on('error', (err) => {
      this.#logger.error({ err }, 'admin server error');
    });
    return (server.address() as AddressInfo).port;
  }

  /** Closes the listener and every connection at once (used as the very last step). */
  close(): void {
    const server = this.#server;
    if (server === undefined) return;
    this.#server = undefined;
    server.close();
    server.closeAllConnections();
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://admin').pathname;
    const method = req.method ?? 'GET';
    if (BUILT_IN.has(path)) {
      if (method !== 'GET' && method !== 'HEAD') {
        send(res, 405, 'method not allowed\n', 'text/plain; charset=utf-8', {
          allow: 'GET, HEAD',
        });
        return;
      }
      this.#probe(path, res);
      return;
    }
    const byMethod = this.#routes.get(path);
    const handler =
      byMethod?.get(method) ??
      (method === 'HEAD' ? byMethod?.get('GET') : undefined);
    if (byMethod === undefined) {
      send(res, 404, 'not found\n', 'text/plain; charset=utf-8');
      return;
    }
    if (handler === undefined) {
      send(res, 405, 'method not allowed\n', 'text/plain; charset=utf-8', {
        allow: [...byMethod.keys()].join(', '),
      });
      return;
    }
    const fail = (caught: unknown): void => {
      this.#logger.error(
        { err: toError(caught, 'admin route threw'), method, path },
        `admin route ${method} ${path} failed`,
      );
      if (!res.headersSent)
        send(res, 500, 'internal error\n', 'text/plain; charset=utf-8');
      else res.destroy();
    };
    try {
      const result = handler(req, res);
      if (result instanceof Promise) result.catch(fail);
      else if (isThenable(result)) result.then(undefined, fail);
    } catch (caught) {
      fail(caught);
    }
  }

  #probe(path: string, res: ServerResponse): void {
    if (path === '/live') {
      send(res, 200, 'live\n', 'text/plain; charset=utf-8');
      return;
    }
    const ready = this.#probes.isReady();
    if (path === '/ready') {
      send(
        res,
        ready ? 200 : 500,
        `${this.#probes.snapshot().state}\n`,
        'text/plain; charset=utf-8',
      );
      return;
    }
    const { adminPort: _port, ...health } = this.#probes.snapshot();
    send(
      res,
      ready ? 200 : 500,
      `${JSON.stringify(health)}\n`,
      'application/json; charset=utf-8',
    );
  }
}

function send(
  res: ServerResponse,
  status: number,
  body: string,
  type: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
