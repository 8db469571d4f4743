import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AdminAccess } from './admin-access.js';
import {
  LifecycleError,
  toError,
  type LifecycleErrorCode,
} from './lifecycle-error.js';
import type { LifecycleLogger } from './logger.js';
import type { AdminMutatingRoutes } from './options.js';
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

/** Who may call the mutating admin routes (resolved options `adminMutatingRoutes`, `adminToken`). */
export interface AdminAccessOptions {
  mutatingRoutes: AdminMutatingRoutes;
  token: string;
}

/**
 * The admin HTTP server: `/live`, `/ready`, `/health` and mounted routes, on plain `node:http`
 * (no framework: it answers three fixed paths and must start fast and stay small). Mutating
 * routes (methods other than GET and HEAD) pass the access check first; every error answer is
 * RFC 9457 problem+json with a `KENOS_ERR_LIFECYCLE_ADMIN_*` code.
 */
export class AdminServer {
  readonly #routes = new Map<string, Map<string, AdminRouteHandler>>();
  readonly #probes: ProbeSource;
  readonly #logger: LifecycleLogger;
  readonly #access: AdminAccess;
  #server: Server | undefined;

  constructor(
    probes: ProbeSource,
    logger: LifecycleLogger,
    access: AdminAccessOptions,
  ) {
    this.#probes = probes;
    this.#logger = logger;
    this.#access = new AdminAccess(access.mutatingRoutes, access.token);
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
        sendProblem(
          res,
          405,
          'KENOS_ERR_LIFECYCLE_ADMIN_METHOD_NOT_ALLOWED',
          `${path} answers GET and HEAD only`,
          { allow: 'GET, HEAD' },
        );
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
      sendProblem(
        res,
        404,
        'KENOS_ERR_LIFECYCLE_ADMIN_NOT_FOUND',
        `no admin route ${path}`,
      );
      return;
    }
    if (handler === undefined) {
      const allow = [...byMethod.keys()].join(', ');
      sendProblem(
        res,
        405,
        'KENOS_ERR_LIFECYCLE_ADMIN_METHOD_NOT_ALLOWED',
        `${path} answers ${allow}`,
        { allow },
      );
      return;
    }
    const refusal = this.#access.check(req, method);
    if (refusal !== null) {
      this.#logger.warn(
        {
          code: refusal.code,
          method,
          path,
          remoteAddress: req.socket.remoteAddress,
        },
        `admin request ${method} ${path} refused (${refusal.status})`,
      );
      sendProblem(
        res,
        refusal.status,
        refusal.code,
        refusal.detail,
        refusal.headers,
      );
      return;
    }
    const fail = (caught: unknown): void => {
      this.#logger.error(
        { err: toError(caught, 'admin route threw'), method, path },
        `admin route ${method} ${path} failed`,
      );
      if (!res.headersSent) {
        sendProblem(
          res,
          500,
          'KENOS_ERR_LIFECYCLE_ADMIN_ROUTE_FAILED',
          `admin route ${method} ${path} failed; the error is logged`,
        );
      } else res.destroy();
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

const TITLES: Record<number, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  500: 'Internal Server Error',
};

/**
 * Answers an RFC 9457 problem (`application/problem+json`), the shape the service port of
 * `@kenos/server` uses: `type` is `about:blank`, so `title` is the reason phrase; `code` is stable.
 */
function sendProblem(
  res: ServerResponse,
  status: number,
  code: LifecycleErrorCode,
  detail: string,
  headers: Record<string, string> = {},
): void {
  const body = {
    type: 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
  };
  send(
    res,
    status,
    `${JSON.stringify(body)}\n`,
    'application/problem+json',
    headers,
  );
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
