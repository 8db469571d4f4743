import { Readable } from 'node:stream';
import type { Pool } from 'undici';
import { checkTimeoutMs, closedError } from '../call-errors.js';
import { ClientsError } from '../clients-error.js';
import { sendCall, type CallContext, type CallResponse } from './http-call.js';
import {
  lowerCaseHeaders,
  resolveHttpClientOptions,
  type HttpClientOptions,
} from './http-client-options.js';
import { statusError } from './http-errors.js';
import { BufferedHttpResponse, type HttpResponse } from './http-response.js';
import { RetryBudget } from './retry-budget.js';
import { isIdempotent } from './retry-policy.js';

/** A query parameter's value: `undefined` leaves it out, an array repeats it. */
export type HttpQueryValue =
  | string
  | number
  | boolean
  | undefined
  | ReadonlyArray<string | number | boolean>;

/** Options of one call of {@link HttpClient.request}; all optional. */
export interface HttpRequestOptions {
  /** Query parameters, appended to the path (URL-encoded). Default none. */
  query?: Readonly<Record<string, HttpQueryValue>>;
  /** Headers of this call; they win over the client's `headers` (not over the deadline and trace headers). Default none. */
  headers?: Record<string, string>;
  /** A body sent as JSON (`content-type: application/json` unless set). Default none. */
  json?: unknown;
  /** A raw body (set its `content-type` in `headers`); not with `json`. Default none. */
  body?: string | Uint8Array;
  /** Aborts the call (all tries); rejects with `KENOS_ERR_CLIENTS_ABORTED`. Default none (the call scope's signal still applies). */
  signal?: AbortSignal;
  /** Time this call may take, all tries included; lowered by the inherited deadline. Default the client's `timeoutMs`. */
  timeoutMs?: number;
  /** Whether the call may be sent twice; a POST or PATCH that is safe to repeat (e.g. with an idempotency key) says `true`. Default by method: GET, HEAD, OPTIONS, PUT, DELETE (and TRACE) are idempotent. */
  idempotent?: boolean;
}

/** The HTTP methods of {@link HttpClient.request}. */
export type HttpMethod =
  | 'GET'
  | 'HEAD'
  | 'POST'
  | 'PUT'
  | 'PATCH'
  | 'DELETE'
  | 'OPTIONS';

/** A client of one HTTP service, made by {@link createHttpClient}. */
export interface HttpClient {
  /** The client's name (spans, errors). */
  readonly name: string;
  /**
   * Sends a call and reads its answer in full. A 2xx/3xx answer resolves; a 4xx/5xx answer rejects with the typed error
   * of `@kenos/server` its problem+json stands for, else a `ClientsError` `KENOS_ERR_CLIENTS_HTTP_STATUS`.
   * `path` starts with `/` and is put after the base URL's path.
   */
  request(
    method: HttpMethod,
    path: string,
    options?: HttpRequestOptions,
  ): Promise<HttpResponse>;
  /** `request('GET', …)`. */
  get(path: string, options?: HttpRequestOptions): Promise<HttpResponse>;
  /** `request('POST', …)`; not retried unless `idempotent: true`. */
  post(path: string, options?: HttpRequestOptions): Promise<HttpResponse>;
  /** `request('PUT', …)`. */
  put(path: string, options?: HttpRequestOptions): Promise<HttpResponse>;
  /** `request('PATCH', …)`; not retried unless `idempotent: true`. */
  patch(path: string, options?: HttpRequestOptions): Promise<HttpResponse>;
  /** `request('DELETE', …)`. */
  delete(path: string, options?: HttpRequestOptions): Promise<HttpResponse>;
  /**
   * A `fetch` for code that wants one (generated SDKs, `openapi-fetch`): same deadline, headers, retries, span and
   * metrics, and a standard `Response` whatever its status (as `fetch`, it does not throw for a 4xx/5xx answer). The
   * URL is a path (put after the base URL's path) or an absolute URL of the client's origin.
   */
  readonly fetch: (
    input: string | URL | Request,
    init?: RequestInit,
  ) => Promise<Response>;
  /** Closes the client's connections once their calls ended; later calls reject with `KENOS_ERR_CLIENTS_CLOSED`. */
  close(): Promise<void>;
}

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

function appendQuery(path: string, query: HttpRequestOptions['query']): string {
  if (query === undefined) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value))
      for (const v of value as unknown[]) params.append(key, String(v));
    else params.append(key, String(value));
  }
  const qs = params.toString();
  if (qs === '') return path;
  return `${path}${path.includes('?') ? '&' : '?'}${qs}`;
}

/**
 * Creates a client of one HTTP service on an undici `Pool` (keep-alive connections, reused by all calls). Every call
 * inherits the deadline, the cancellation and the request id of the request, call or job it is made from
 * (`currentCallScope()` of `@kenos/server`), sends them on (`x-request-id`, `x-kenos-timeout-ms`) with the W3C trace
 * context of its CLIENT span, retries idempotent calls on transient failures within a retry budget, and records
 * `http_client_request_duration_seconds` once per try. See docs/clients.md.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const resolved = resolveHttpClientOptions(options);
  // undici (~30 MiB of resident memory) is loaded by the first call, not at start-up: a service
  // whose clients are configured but idle, or never called, starts as fast and as small as one without
  let pool: Promise<Pool> | undefined;
  const ctx: CallContext = {
    options: resolved,
    pool: () =>
      (pool ??= import('undici').then(
        ({ Pool }) =>
          new Pool(resolved.origin, { connections: resolved.connections }),
      )),
    budget: new RetryBudget(
      resolved.budget.ratio,
      resolved.budget.minRetriesPerSecond,
      resolved.budget.windowMs,
    ),
  };
  const { basePath } = resolved;
  const hasClientHeaders = Object.keys(resolved.headers).length > 0;
  let closed = false;

  const checkPath = (path: string): void => {
    if (typeof path !== 'string' || !path.startsWith('/'))
      throw new ClientsError(
        'KENOS_ERR_CLIENTS_INVALID_ARGUMENT',
        `a request path must start with "/", got ${JSON.stringify(path)}`,
      );
  };

  const request = async (
    method: HttpMethod,
    path: string,
    o: HttpRequestOptions = {},
  ): Promise<HttpResponse> => {
    checkPath(path);
    checkTimeoutMs(o.timeoutMs);
    if (closed) throw closedError(`${method} ${path}`, resolved.name);
    const headers: Record<string, string> = hasClientHeaders
      ? { ...resolved.headers }
      : {};
    if (o.headers !== undefined)
      Object.assign(headers, lowerCaseHeaders(o.headers));
    let body = o.body;
    if (o.json !== undefined) {
      if (body !== undefined)
        throw new ClientsError(
          'KENOS_ERR_CLIENTS_INVALID_ARGUMENT',
          'a call takes `json` or `body`, not both',
        );
      body = JSON.stringify(o.json);
      headers['content-type'] ??= 'application/json';
    }
    const fullPath = appendQuery(basePath + path, o.query);
    const res = await sendCall(ctx, {
      method,
      path: fullPath,
      headers,
      body,
      signal: o.signal,
      timeoutMs: o.timeoutMs,
      retryable: isIdempotent(method, o.idempotent),
    });
    let bytes: Buffer;
    try {
      bytes = Buffer.from(await res.body.arrayBuffer());
    } catch (err) {
      throw res.bodyError(err);
    } finally {
      res.done();
    }
    if (res.statusCode >= 400)
      throw statusError(
        resolved.name,
        method,
        basePath + path,
        res.statusCode,
        res.headers['content-type'],
        bytes.toString('utf8'),
      );
    return new BufferedHttpResponse(res.statusCode, res.headers, bytes);
  };

  const fetchCompatible = async (
    input: string | URL | Request,
    init?: RequestInit,
  ): Promise<Response> => {
    let target: string | URL | Request = input;
    if (typeof input === 'string' && !/^[a-z][a-z0-9+.-]*:/i.test(input)) {
      checkPath(input);
      target = `${resolved.origin}${basePath}${input}`;
    }
    const req = new Request(target, init);
    if (closed)
      throw closedError(
        `${req.method} ${new URL(req.url).pathname}`,
        resolved.name,
      );
    const url = new URL(req.url);
    if (url.origin !== resolved.origin)
      throw new ClientsError(
        'KENOS_ERR_CLIENTS_INVALID_ARGUMENT',
        `${resolved.name}'s fetch only calls ${resolved.origin}, not ${url.origin}`,
      );
    const headers: Record<string, string> = hasClientHeaders
      ? { ...resolved.headers }
      : {};
    req.headers.forEach((value, key) => {
      headers[key] = value;
    });
    const body =
      req.body === null ? undefined : Buffer.from(await req.arrayBuffer());
    const res = await sendCall(ctx, {
      method: req.method,
      path: url.pathname + url.search,
      headers,
      body,
      signal:
        init?.signal ??
        (input instanceof Request ? input.signal : undefined) ??
        undefined,
      timeoutMs: undefined,
      retryable: isIdempotent(req.method, undefined),
    });
    return toResponse(req.method, res);
  };

  return {
    name: resolved.name,
    request,
    get: (path, o) => request('GET', path, o),
    post: (path, o) => request('POST', path, o),
    put: (path, o) => request('PUT', path, o),
    patch: (path, o) => request('PATCH', path, o),
    delete: (path, o) => request('DELETE', path, o),
    fetch: fetchCompatible,
    close: () => {
      closed = true;
      return pool ? pool.then((p) => p.close()) : Promise.resolve();
    },
  };
}

/** A standard `Response` over the answer; the call's deadline keeps running until its body is read or dropped. */
function toResponse(method: string, res: CallResponse): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.append(name, value);
  }
  if (method === 'HEAD' || NULL_BODY_STATUSES.has(res.statusCode)) {
    res.body.dump().catch(() => undefined);
    res.done();
    return new Response(null, { status: res.statusCode, headers });
  }
  res.body.once('close', res.done);
  const body = Readable.toWeb(res.body) as ReadableStream<Uint8Array>;
  return new Response(body, { status: res.statusCode, headers });
}
