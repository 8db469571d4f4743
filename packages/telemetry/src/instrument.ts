import type { IncomingMessage, ServerResponse } from 'node:http';
import { SpanKind, SpanStatusCode, context, trace, type Context, type Span } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
} from '@opentelemetry/semantic-conventions';
import { GRPC_SERVER_ERROR_CODES } from './catalog.js';
import { normalizeHttpMethod, type KenosMetrics } from './createMetrics.js';
import { extractContext, type Carrier } from './spans.js';

const TRACER = '@kenos/telemetry';

/** Options of {@link instrumentHttpRequest}. */
export interface HttpInstrumentationOptions {
  /** Where the request duration is recorded. Default: none (tracing only). */
  metrics?: Pick<KenosMetrics, 'observeHttpRequest'>;
  /**
   * Returns the matched route template once the response is done (express:
   * `req.route ? req.baseUrl + req.route.path : undefined`). `undefined` records
   * `UNMATCHED_ROUTE`. Default: no route (every request is unmatched).
   */
  getRoute?: (req: IncomingMessage) => string | undefined;
}

/**
 * Instruments one HTTP server request: opens a server span joined to the incoming
 * `traceparent` (or a new trace), runs `next` with that span active (so handlers, log
 * lines and outgoing calls see its ids), and when the response finishes or the
 * connection closes, names the span `METHOD route`, sets the semantic-convention
 * attributes and the error status for 5xx, ends it, and records the request in
 * `http_server_request_duration_seconds`. Works as the body of an express middleware:
 * `(req, res, next) => instrumentHttpRequest(req, res, next, { metrics, getRoute })`.
 */
export function instrumentHttpRequest(req: IncomingMessage, res: ServerResponse, next: () => void, options: HttpInstrumentationOptions = {}): void {
  const start = process.hrtime.bigint();
  const method = normalizeHttpMethod(req.method);
  const parent = extractContext(req.headers);
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const span = trace.getTracer(TRACER).startSpan(
    method,
    {
      kind: SpanKind.SERVER,
      attributes: { [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_URL_PATH]: q === -1 ? url : url.slice(0, q), [ATTR_URL_SCHEME]: 'http' },
    },
    parent,
  );
  let done = false;
  const finish = (): void => {
    if (done) return;
    done = true;
    const durationSeconds = Number(process.hrtime.bigint() - start) / 1e9;
    const route = options.getRoute?.(req);
    const statusCode = res.statusCode;
    options.metrics?.observeHttpRequest({ method, route, statusCode, durationSeconds });
    if (route) {
      span.setAttribute(ATTR_HTTP_ROUTE, route);
      span.updateName(`${method} ${route}`);
    }
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, statusCode);
    if (!res.writableFinished) {
      span.setAttribute(ATTR_ERROR_TYPE, 'aborted');
    } else if (statusCode >= 500) {
      span.setAttribute(ATTR_ERROR_TYPE, String(statusCode));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end();
  };
  res.once('finish', finish);
  res.once('close', finish);
  context.with(trace.setSpan(parent, span), next);
}

/** A gRPC server call in progress, from {@link startRpcServerCall}. */
export interface RpcServerCall {
  /** The server span. */
  readonly span: Span;
  /** The context with the span active: run the handler in it with {@link RpcServerCall.run}. */
  readonly context: Context;
  /** Runs `fn` with the call's span active. */
  run<T>(fn: () => T): T;
  /** Ends the call with its gRPC status code (0 = OK): ends the span and records `rpc_server_call_duration_seconds`. Later calls do nothing. */
  end(grpcStatusCode: number, error?: unknown): void;
}

/**
 * Starts instrumenting one gRPC server call: a server span named `service/method`,
 * joined to the `traceparent` in the call metadata (pass `metadata.getMap()` of
 * grpc-js), with the `rpc.*` semantic-convention attributes. Server error codes
 * (UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS) mark the
 * span as an error.
 */
export function startRpcServerCall(
  carrier: Carrier,
  service: string,
  method: string,
  metrics?: Pick<KenosMetrics, 'observeRpcCall'>,
): RpcServerCall {
  const start = process.hrtime.bigint();
  const parent = extractContext(carrier);
  const span = trace.getTracer(TRACER).startSpan(
    `${service}/${method}`,
    { kind: SpanKind.SERVER, attributes: { 'rpc.system': 'grpc', 'rpc.service': service, 'rpc.method': method } },
    parent,
  );
  const ctx = trace.setSpan(parent, span);
  let ended = false;
  return {
    span,
    context: ctx,
    run: (fn) => context.with(ctx, fn),
    end(grpcStatusCode, error) {
      if (ended) return;
      ended = true;
      const durationSeconds = Number(process.hrtime.bigint() - start) / 1e9;
      metrics?.observeRpcCall({ service, method, grpcStatusCode, durationSeconds });
      span.setAttribute('rpc.grpc.status_code', grpcStatusCode);
      if (error !== undefined) span.recordException(error instanceof Error ? error : String(error));
      if (GRPC_SERVER_ERROR_CODES.includes(grpcStatusCode)) {
        span.setAttribute(ATTR_ERROR_TYPE, String(grpcStatusCode));
        span.setStatus({ code: SpanStatusCode.ERROR, ...(error instanceof Error ? { message: error.message } : {}) });
      }
      span.end();
    },
  };
}
