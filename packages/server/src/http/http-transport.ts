import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { ServiceError } from '../errors.js';
import { requestIdFrom } from '../request-context.js';
import type { LoggingSeam, ServiceLogger } from '../service/logger.js';
import { instrumentHttpRequest, type MetricsSeam } from '../service/metrics.js';
import type { Transport } from '../transport.js';
import { problem } from './problem.js';

/** Options of {@link createHttpTransport}; every one has a default. */
export interface HttpTransportOptions {
  /** Port to listen on; 0 = ephemeral. */
  port: number;
  /** Host to bind; default all interfaces. */
  host?: string;
  /** Largest accepted JSON body; larger ones get 413. Default `'1mb'` (1 MiB). */
  jsonLimit?: string | number;
  /**
   * Idle keep-alive timeout of client connections. Default 65 000 ms: above the
   * 60 s idle timeout of AWS ALB / nginx / GCP LB, so the load balancer, not the
   * server, closes idle connections (else the LB may reuse a closing socket → 502).
   */
  keepAliveTimeoutMs?: number;
  /** Time to receive request headers. Default 66 000 ms: must exceed `keepAliveTimeoutMs`. */
  headersTimeoutMs?: number;
  /** Time to receive a whole request. Default 30 000 ms. */
  requestTimeoutMs?: number;
  /** A handler that has not answered after this long gets a 503 problem (`KENOS_ERR_SERVER_TIMEOUT`). Default 30 000 ms; 0 disables. */
  handlerTimeoutMs?: number;
  /** Mounts the service's routes. */
  routes: (router: Router) => void | Promise<void>;
  logging: LoggingSeam;
  metrics: MetricsSeam;
}

/** The HTTP transport plus the port it bound. */
export interface HttpTransport extends Transport {
  /** The bound port (after start). */
  readonly port: number;
}

type KenosLocals = { requestId: string };

/** Express 5 transport: request id, trace ids, access log, metrics, problem+json, drain. */
export function createHttpTransport(options: HttpTransportOptions): HttpTransport {
  const { logging, metrics } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  let draining = false;
  const inFlight = new Set<ServerResponse>();

  const sendProblem = (req: Request, res: Response, status: number, fields: Parameters<typeof problem>[1]): void => {
    if (res.headersSent) return void res.end();
    const requestId = (res.locals as KenosLocals).requestId;
    res
      .status(status)
      .type('application/problem+json')
      .send(JSON.stringify(problem(status, { instance: req.originalUrl, request_id: requestId, ...fields })));
  };

  const handlerTimeoutMs = options.handlerTimeoutMs ?? 30_000;
  const onHandlerTimeout = (req: Request, res: Response): void => {
    sendProblem(req, res, 503, { detail: `no answer within ${handlerTimeoutMs} ms`, code: 'KENOS_ERR_SERVER_TIMEOUT' });
  };
  const routeOf = (req: IncomingMessage): string | undefined => {
    const r = req as Request;
    return r.route ? `${r.baseUrl}${String(r.route.path)}` : undefined;
  };

  // One server span (W3C traceparent in, trace ids in every log line), one scope, one 'close'
  // listener per request: it ends the span, records the metric and writes the access log line.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const requestId = requestIdFrom(req.headers['x-request-id']);
    (res.locals as KenosLocals).requestId = requestId;
    res.setHeader('x-request-id', requestId);
    if (draining) res.setHeader('connection', 'close');
    inFlight.add(res);
    const timer = handlerTimeoutMs > 0 ? setTimeout(onHandlerTimeout, handlerTimeoutMs, req, res) : undefined;
    timer?.unref();
    let log: ServiceLogger | undefined;
    instrumentHttpRequest(
      req,
      res,
      () =>
        logging.runWithContext({ request_id: requestId }, () => {
          log = logging.current();
          next();
        }),
      {
        metrics,
        getRoute: routeOf,
        onEnd: ({ route, statusCode, durationSeconds, aborted }) => {
          clearTimeout(timer);
          inFlight.delete(res);
          (log ?? logging.root).info(
            {
              http: { method: req.method, route, path: req.path, status: statusCode, duration_ms: Math.round(durationSeconds * 100_000) / 100 },
              ...(aborted ? { aborted: true } : {}),
            },
            'http request',
          );
        },
      },
    );
  });
  app.use(express.json({ limit: options.jsonLimit ?? '1mb' }));
  const router = express.Router();
  app.use(router);

  app.use((req: Request, res: Response) => {
    sendProblem(req, res, 404, { detail: `no route for ${req.method} ${req.path}`, code: 'KENOS_ERR_SERVER_NOT_FOUND' });
  });
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof ServiceError) {
      return sendProblem(req, res, err.httpStatus, {
        detail: err.message,
        code: err.code,
        ...(err.violations.length > 0 ? { errors: err.violations } : {}),
      });
    }
    const e = err as { type?: string; status?: number; expose?: boolean; message?: string };
    if (e.type === 'entity.parse.failed') {
      return sendProblem(req, res, 400, { detail: 'request body is not valid JSON', code: 'KENOS_ERR_SERVER_MALFORMED_JSON' });
    }
    if (e.type === 'entity.too.large') {
      return sendProblem(req, res, 413, { detail: 'request body is too large', code: 'KENOS_ERR_SERVER_BODY_TOO_LARGE' });
    }
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500 && e.expose) {
      return sendProblem(req, res, e.status, { detail: e.message ?? 'bad request' });
    }
    logging.current().error({ err }, 'unhandled error in http handler');
    sendProblem(req, res, 500, { detail: 'internal error; quote the request id when reporting it', code: 'KENOS_ERR_SERVER_INTERNAL' });
  });

  let server: Server | undefined;
  let port = options.port;

  return {
    name: 'http',
    get port() {
      return port;
    },
    async start() {
      await options.routes(router);
      server = createServer(app);
      server.keepAliveTimeout = options.keepAliveTimeoutMs ?? 65_000;
      server.headersTimeout = options.headersTimeoutMs ?? 66_000;
      server.requestTimeout = options.requestTimeoutMs ?? 30_000;
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
    async stop(signal) {
      const s = server;
      if (!s) return;
      draining = true;
      for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
      const closed = new Promise<void>((resolve) => s.close(() => resolve()));
      s.closeIdleConnections();
      const force = (): void => s.closeAllConnections();
      signal.addEventListener('abort', force, { once: true });
      await closed;
      signal.removeEventListener('abort', force);
    },
  };
}
