import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, {
  type NextFunction,
  type Request,
  type Response,
  type Router,
} from 'express';
import { ServiceError } from '../service-error.js';
import { requestIdFrom } from '../request-context.js';
import { runInCallScope } from '../call-scope.js';
import type { LoggingSeam } from '../service/logger.js';
import { capConnections } from '../service/connection-limits.js';
import { instrumentHttpRequest, type MetricsSeam } from '../service/metrics.js';
import type { Transport } from '../transport.js';
import { problem } from './problem.js';
import { HttpCallScope } from './http-call-scope.js';
import { parseTimeoutHeader, TIMEOUT_HEADER } from './timeout-header.js';

// node:http through process.getBuiltinModule, not an ESM import: importing node:http from ESM syncs every export
// of its facade, and one lazy getter loads Node's bundled undici (fetch): ~35 ms of startup for nothing.
const { createServer } = process.getBuiltinModule('node:http');

/** Options of {@link createHttpTransport}; every one has a default. */
export interface HttpTransportOptions {
  /** Port to listen on; 0 = ephemeral. */
  port: number;
  /** Host to bind; default all interfaces. */
  host?: string;
  /** Largest accepted JSON body; larger ones get 413. Default `'1mb'` (1 MiB). */
  jsonLimit?: string | number;
  /**
   * Idle keep-alive timeout of client connections. Default `65000` ms: above the
   * 60 s idle timeout of AWS ALB / nginx / GCP LB, so the load balancer, not the
   * server, closes idle connections (else the LB may reuse a closing socket → 502).
   */
  keepAliveTimeoutMs?: number;
  /** Time to receive request headers. Default `66000` ms: must exceed `keepAliveTimeoutMs`. */
  headersTimeoutMs?: number;
  /** Time to receive a whole request. Default `30000` ms. */
  requestTimeoutMs?: number;
  /**
   * A handler that has not answered after this long gets a 503 problem (`KENOS_ERR_SERVER_TIMEOUT`), and its call scope's
   * signal is aborted. A valid incoming `x-kenos-timeout-ms` (the caller's remaining deadline) lowers it for that request.
   * Default `30000` ms; 0 disables (then only an incoming `x-kenos-timeout-ms` sets a deadline).
   */
  handlerTimeoutMs?: number;
  /**
   * Most client connections open at once; each one beyond it is closed as soon as it is accepted (logged as a warning,
   * `KENOS_ERR_SERVER_CONNECTION_LIMIT`), so a connection flood cannot use up the process's descriptors. Default `0` = no
   * cap; `runService` passes `http.maxConnections` (`HTTP_MAX_CONNECTIONS`), by default derived from the descriptor limit.
   */
  maxConnections?: number;
  /** Mounts the service's routes. */
  routes: (router: Router) => void | Promise<void>;
  /**
   * Turns an error a route threw (or rejected with) into the error answered, before it is classified
   * and logged; not called for the router's malformed-path error nor for body-parser errors. If it
   * throws, that is logged and the original error is answered 500. Default `(err) => err`.
   */
  mapError?: (err: unknown) => unknown;
  logging: LoggingSeam;
  metrics: MetricsSeam;
}

/** The HTTP transport plus the port it bound. */
export interface HttpTransport extends Transport {
  /** The bound port (after start). */
  readonly port: number;
}

// express's res.locals; Kenos keeps the request id there
type KenosResponse = ServerResponse & { locals?: Record<string, unknown> };

type ProblemFields = Parameters<typeof problem>[1];

/**
 * The problem (status and fields) an error thrown by a handler, the router or a body parser is answered with;
 * `undefined` = unexpected (500). A client error is an error with a 4xx `status` (or `statusCode`) that is either
 * marked `expose` (http-errors, which the body parsers and `createError(4xx)` use) or the router's `URIError` for a
 * path parameter that is not valid percent-encoding. Any other error, even one carrying a 4xx status (e.g. a
 * downstream client's error), is a server fault.
 */
function problemFor(
  err: unknown,
): { status: number; fields: ProblemFields } | undefined {
  if (err instanceof ServiceError) {
    return {
      status: err.httpStatus,
      fields: {
        detail: err.message,
        code: err.code,
        ...(err.violations.length > 0 ? { errors: err.violations } : {}),
      },
    };
  }
  const e = err as {
    type?: unknown;
    status?: unknown;
    statusCode?: unknown;
    expose?: unknown;
    message?: unknown;
  } | null;
  const status = typeof e?.status === 'number' ? e.status : e?.statusCode;
  if (
    typeof status !== 'number' ||
    !Number.isInteger(status) ||
    status < 400 ||
    status > 499
  )
    return undefined;
  if (err instanceof URIError)
    return {
      status: 400,
      fields: {
        detail: 'the path has a malformed percent-encoding',
        code: 'KENOS_ERR_SERVER_MALFORMED_PATH',
      },
    };
  if (e?.expose !== true) return undefined;
  const message =
    typeof e.message === 'string' && e.message !== ''
      ? e.message
      : 'bad request';
  switch (e.type) {
    case 'entity.parse.failed':
      return {
        status: 400,
        fields: {
          detail: 'request body is not valid JSON',
          code: 'KENOS_ERR_SERVER_MALFORMED_JSON',
        },
      };
    case 'entity.too.large':
      return {
        status: 413,
        fields: {
          detail: 'request body is too large',
          code: 'KENOS_ERR_SERVER_BODY_TOO_LARGE',
        },
      };
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return {
        status: 415,
        fields: {
          detail: message,
          code: 'KENOS_ERR_SERVER_UNSUPPORTED_ENCODING',
        },
      };
    default:
      return {
        status,
        fields: { detail: message, code: 'KENOS_ERR_SERVER_BAD_REQUEST' },
      };
  }
}

/** The router's error for a path parameter that is not valid percent-encoding (a client error Kenos answers itself). */
function isMalformedPathError(err: unknown): boolean {
  return (
    err instanceof URIError && (err as { status?: unknown }).status === 400
  );
}

/**
 * Express 5 transport: request id, trace ids, access log, metrics, JSON bodies, problem+json, drain.
 *
 * The standard per-request work runs around the express app, in the server's request listener,
 * not as express middleware: every layer of an express router costs each request a match and a
 * dispatch, and the service's routes are mounted on the app's own router (no nested router).
 */
export function createHttpTransport(
  options: HttpTransportOptions,
): HttpTransport {
  const { logging, metrics } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const jsonParser = express.json({ limit: options.jsonLimit ?? '1mb' });
  let draining = false;
  const inFlight = new Set<ServerResponse>();

  // plain node:http, so that it also answers requests that never reached express (a bad body)
  const sendProblem = (
    req: IncomingMessage,
    res: KenosResponse,
    status: number,
    fields: ProblemFields,
  ): void => {
    if (res.headersSent) return void res.end();
    const body = JSON.stringify(
      problem(status, {
        instance: (req as Request).originalUrl ?? req.url,
        request_id: res.locals?.requestId as string | undefined,
        ...fields,
      }),
    );
    res.statusCode = status;
    res.setHeader('content-type', 'application/problem+json; charset=utf-8');
    res.setHeader('content-length', Buffer.byteLength(body));
    res.end(body);
  };
  const onInternalError = (
    err: unknown,
    req: IncomingMessage,
    res: KenosResponse,
  ): void => {
    logging.current().error({ err }, 'unhandled error in http handler');
    sendProblem(req, res, 500, {
      detail: 'internal error; quote the request id when reporting it',
      code: 'KENOS_ERR_SERVER_INTERNAL',
    });
  };
  const onError = (
    err: unknown,
    req: IncomingMessage,
    res: KenosResponse,
  ): void => {
    const known = problemFor(err);
    if (known) {
      // a client error the framework raised (bad path, bad body): why it was refused, at info and without a stack
      if (!(err instanceof ServiceError)) {
        logging.root.info(
          {
            request_id: res.locals?.requestId,
            code: known.fields?.code,
            status: known.status,
            reason: String((err as Error).message),
          },
          'http request refused',
        );
      }
      return sendProblem(req, res, known.status, known.fields);
    }
    onInternalError(err, req, res);
  };
  // errors of the service's routes (and of the router) reach express's error handler, sync throws and
  // rejected promises alike: the service's mapError sees them first, except the router's own 400
  const { mapError } = options;
  const onRouteError =
    mapError === undefined
      ? onError
      : (err: unknown, req: IncomingMessage, res: KenosResponse): void => {
          if (isMalformedPathError(err)) return onError(err, req, res);
          let mapped: unknown;
          try {
            mapped = mapError(err);
          } catch (failure) {
            logging
              .current()
              .error(
                { err: failure, code: 'KENOS_ERR_SERVER_INTERNAL' },
                'mapError threw; the original error is answered as an internal error',
              );
            return onInternalError(err, req, res);
          }
          onError(mapped, req, res);
        };

  const handlerTimeoutMs = options.handlerTimeoutMs ?? 30_000;
  // the handler timeout answers 503; a deadline the caller set (x-kenos-timeout-ms) answers 504: the caller stopped waiting
  const onHandlerTimeout = (
    req: IncomingMessage,
    res: KenosResponse,
    scope: HttpCallScope,
    timeoutMs: number,
    callerDeadline: boolean,
  ): void => {
    scope.abort(new Error(`handler timeout: no answer within ${timeoutMs} ms`));
    sendProblem(
      req,
      res,
      callerDeadline ? 504 : 503,
      callerDeadline
        ? {
            detail: `no answer within the caller's deadline (${TIMEOUT_HEADER}: ${timeoutMs})`,
            code: 'KENOS_ERR_SERVER_DEADLINE_EXCEEDED',
          }
        : {
            detail: `no answer within ${timeoutMs} ms`,
            code: 'KENOS_ERR_SERVER_TIMEOUT',
          },
    );
  };
  const routeOf = (req: IncomingMessage): string | undefined => {
    const r = req as Request;
    if (!r.route) return undefined;
    // mounted at the root (the usual case): the route's own template string, not a new one per request
    return r.baseUrl
      ? `${r.baseUrl}${String(r.route.path)}`
      : String(r.route.path);
  };

  // One server span (W3C traceparent in, trace ids in every log line), one call scope (request id, deadline,
  // signal) nesting one log scope, one 'close' listener per request: it ends the span, records the metric and
  // writes the access log line.
  const onRequest = (req: IncomingMessage, res: KenosResponse): void => {
    const requestId = requestIdFrom(req.headers['x-request-id']);
    res.locals = { requestId }; // express keeps an existing res.locals
    res.setHeader('x-request-id', requestId);
    if (draining) res.setHeader('connection', 'close');
    inFlight.add(res);
    // the caller's remaining deadline lowers the handler timeout
    const callerMs = parseTimeoutHeader(req.headers[TIMEOUT_HEADER]);
    const callerDeadline =
      callerMs !== undefined &&
      (handlerTimeoutMs <= 0 || callerMs < handlerTimeoutMs);
    const timeoutMs = callerDeadline ? callerMs : handlerTimeoutMs;
    const scope = new HttpCallScope(
      requestId,
      timeoutMs > 0 ? Date.now() + timeoutMs : undefined,
    );
    const timer =
      timeoutMs > 0
        ? setTimeout(
            onHandlerTimeout,
            timeoutMs,
            req,
            res,
            scope,
            timeoutMs,
            callerDeadline,
          )
        : undefined;
    timer?.unref();
    const dispatch = (): void => {
      // body-parser passes requests without a JSON body straight on
      jsonParser(req, res, (err?: unknown) =>
        err === undefined
          ? app(req as Request, res as unknown as Response)
          : onError(err, req, res),
      );
    };
    instrumentHttpRequest(
      req,
      res,
      () =>
        runInCallScope(scope, () =>
          logging.runWithContext({ request_id: requestId }, dispatch),
        ),
      {
        metrics,
        getRoute: routeOf,
        onEnd: ({ route, path, statusCode, durationSeconds, aborted }) => {
          clearTimeout(timer);
          inFlight.delete(res);
          if (aborted) scope.abort(new Error('the client went away'));
          // the root logger with the request id, not the scope's: a scope's logger is only built when a handler logs
          logging.root.info(
            {
              request_id: requestId,
              http: {
                method: req.method,
                route,
                path,
                status: statusCode,
                duration_ms: Math.round(durationSeconds * 100_000) / 100,
              },
              ...(aborted ? { aborted: true } : {}),
            },
            'http request',
          );
        },
      },
    );
  };

  /** Mounts the service's routes on the app's router, then the 404 and error handlers behind them. */
  const mountRoutes = async (): Promise<void> => {
    await options.routes(app.router);
    app.use((req: Request, res: Response) => {
      sendProblem(req, res, 404, {
        detail: `no route for ${req.method} ${req.path}`,
        code: 'KENOS_ERR_SERVER_NOT_FOUND',
      });
    });
    app.use((err: unknown, req: Request, res: Response, _next: NextFunction) =>
      onRouteError(err, req, res),
    );
  };

  let server: Server | undefined;
  let port = options.port;
  const markDraining = (): void => {
    draining = true;
    for (const res of inFlight)
      if (!res.headersSent) res.setHeader('connection', 'close');
  };

  return {
    name: 'http',
    get port() {
      return port;
    },
    async start() {
      await mountRoutes();
      server = createServer(onRequest);
      server.keepAliveTimeout = options.keepAliveTimeoutMs ?? 65_000;
      server.headersTimeout = options.headersTimeoutMs ?? 66_000;
      server.requestTimeout = options.requestTimeoutMs ?? 30_000;
      capConnections(server, options.maxConnections ?? 0, 'http', logging.root);
      const s = server;
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen({ port: options.port, host: options.host }, () => {
          s.off('error', reject);
          resolve();
        });
      });
      port = (s.address() as AddressInfo).port;
    },
    // From the first moment of shutdown every response, old connection or new, carries `Connection: close`: the
    // client closes that socket after the response and its next connection goes through the load balancer again.
    // Idle sockets are not closed here: a close races with a client sending on that socket at the same moment
    // (ECONNRESET); one still idle when the delay ends is closed by `stop` (docs/server.md, "Drain").
    prepareStop: markDraining,
    async stop(signal) {
      const s = server;
      if (!s) return;
      markDraining();
      const closed = new Promise<void>((resolve) => s.close(() => resolve()));
      s.closeIdleConnections();
      const force = (): void => s.closeAllConnections();
      signal.addEventListener('abort', force, { once: true });
      await closed;
      signal.removeEventListener('abort', force);
    },
  };
}
