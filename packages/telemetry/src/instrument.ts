import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  SpanKind,
  SpanStatusCode,
  context,
  diag,
  trace,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { GRPC_SERVER_ERROR_CODES, UNMATCHED_ROUTE } from './catalog.js';
import { normalizeHttpMethod, type KenosMetrics } from './create-metrics.js';
import { EMPTY_LINKED_CONTEXT } from './linked-context.js';
import { extractContext, type Carrier } from './spans.js';

const TRACER = '@kenos/telemetry';

// Stable semantic-convention attribute names (the values of @opentelemetry/semantic-conventions'
// ATTR_* constants; that module of several thousand exports is not loaded at startup for six strings).
const ATTR_ERROR_TYPE = 'error.type';
const ATTR_HTTP_REQUEST_METHOD = 'http.request.method';
const ATTR_HTTP_RESPONSE_STATUS_CODE = 'http.response.status_code';
const ATTR_HTTP_ROUTE = 'http.route';
const ATTR_URL_PATH = 'url.path';
const ATTR_URL_SCHEME = 'url.scheme';

/** Options of {@link instrumentHttpRequest}. */
export interface HttpInstrumentationOptions {
  /** Where the request duration is recorded. Default none (tracing only). */
  metrics?: Pick<KenosMetrics, 'observeHttpRequest'>;
  /**
   * Returns the matched route template once the response is done (express:
   * `req.route ? req.baseUrl + req.route.path : undefined`). `undefined` records
   * `UNMATCHED_ROUTE`. Default no route (every request is unmatched).
   */
  getRoute?: (req: IncomingMessage) => string | undefined;
  /**
   * Called once when the request ends (response finished or connection closed), after the
   * span ended and the duration was recorded: the place for an access log line. A throw is
   * reported through the OpenTelemetry diagnostics and otherwise ignored. Default none.
   */
  onEnd?: (result: HttpRequestResult) => void;
}

/** What {@link HttpInstrumentationOptions.onEnd} receives about a finished request. */
export interface HttpRequestResult {
  /** The normalized method (`OTHER` for unknown ones). */
  readonly method: string;
  /** The route template, or `UNMATCHED_ROUTE` when no route matched. */
  readonly route: string;
  /** The request path, without the query string (the span's `url.path`). */
  readonly path: string;
  /** The response status code. */
  readonly statusCode: number;
  /** From the start of instrumentation to the end, in seconds. */
  readonly durationSeconds: number;
  /** `true` when the connection closed before the response was finished. */
  readonly aborted: boolean;
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
export function instrumentHttpRequest(
  req: IncomingMessage,
  res: ServerResponse,
  next: () => void,
  options: HttpInstrumentationOptions = {},
): void {
  const start = performance.now();
  const method = normalizeHttpMethod(req.method);
  const parent = extractContext(req.headers, EMPTY_LINKED_CONTEXT);
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const span = trace.getTracer(TRACER).startSpan(
    method,
    {
      kind: SpanKind.SERVER,
      attributes: {
        [ATTR_HTTP_REQUEST_METHOD]: method,
        [ATTR_URL_PATH]: path,
        [ATTR_URL_SCHEME]: 'http',
      },
    },
    parent,
  );
  // a ServerResponse always emits 'close' last, after 'finish' or on an aborted connection; `on` with a
  // flag, not `once`, which wraps the listener in two more objects per request
  let closed = false;
  res.on('close', () => {
    if (closed) return;
    closed = true;
    const durationSeconds = (performance.now() - start) / 1000;
    const statusCode = res.statusCode;
    const aborted = !res.writableFinished;
    let route: string | undefined;
    // getRoute and metrics are the caller's code: a throw is reported, the span still ends and onEnd still runs
    try {
      route = options.getRoute?.(req) || undefined;
      options.metrics?.observeHttpRequest({
        method,
        route,
        statusCode,
        durationSeconds,
      });
      if (span.isRecording()) {
        if (route) {
          span.setAttribute(ATTR_HTTP_ROUTE, route);
          span.updateName(`${method} ${route}`);
        }
        span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, statusCode);
        if (aborted) {
          span.setAttribute(ATTR_ERROR_TYPE, 'aborted');
        } else if (statusCode >= 500) {
          span.setAttribute(ATTR_ERROR_TYPE, String(statusCode));
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
      }
    } catch (err) {
      diag.error('@kenos/telemetry: recording an HTTP request failed', err);
    }
    span.end();
    if (options.onEnd) {
      try {
        options.onEnd({
          method,
          route: route ?? UNMATCHED_ROUTE,
          path,
          statusCode,
          durationSeconds,
          aborted,
        });
      } catch (err) {
        diag.error(
          '@kenos/telemetry: the onEnd hook of an HTTP request threw',
          err,
        );
      }
    }
  });
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
  const start = performance.now();
  const parent = extractContext(carrier, EMPTY_LINKED_CONTEXT);
  const span = trace.getTracer(TRACER).startSpan(
    `${service}/${method}`,
    {
      kind: SpanKind.SERVER,
      attributes: {
        'rpc.system': 'grpc',
        'rpc.service': service,
        'rpc.method': method,
      },
    },
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
      const durationSeconds = (performance.now() - start) / 1000;
      // the metrics are the caller's code: a throw is reported and the span still ends (the call must still be answered)
      try {
        metrics?.observeRpcCall({
          service,
          method,
          grpcStatusCode,
          durationSeconds,
        });
        span.setAttribute('rpc.grpc.status_code', grpcStatusCode);
        if (error !== undefined)
          span.recordException(error instanceof Error ? error : String(error));
        if (GRPC_SERVER_ERROR_CODES.includes(grpcStatusCode)) {
          span.setAttribute(ATTR_ERROR_TYPE, String(grpcStatusCode));
          span.setStatus({
            code: SpanStatusCode.ERROR,
            ...(error instanceof Error ? { message: error.message } : {}),
          });
        }
      } catch (err) {
        diag.error('@kenos/telemetry: recording a gRPC call failed', err);
      }
      span.end();
    },
  };
}
