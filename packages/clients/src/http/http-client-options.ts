import { ClientsError } from '../clients-error.js';

/** The retry budget of {@link HttpRetryOptions}: how much extra load retries may add. */
export interface RetryBudgetOptions {
  /**
   * Retries allowed per first try over the window (0.1 = retries add at most 10 % load). Default `0.1`.
   */
  ratio?: number;
  /** Retries always allowed per second on top of `ratio`, so a client with little traffic can retry. Default `10`. */
  minRetriesPerSecond?: number;
  /** The sliding window the budget counts tries and retries over, in milliseconds. Default `10000`. */
  windowMs?: number;
}

/** Retries of idempotent calls that failed for a transient reason (see docs/clients.md). */
export interface HttpRetryOptions {
  /** Most tries of one call, the first included (1 = no retry). Default `3`. */
  maxAttempts?: number;
  /** Backoff before the first retry: the delay is a random value in [0, min(maxDelayMs, baseDelayMs × 2^(retry − 1))]. Default `50`. */
  baseDelayMs?: number;
  /** Largest backoff between two tries (a `Retry-After` may ask for more, within the deadline). Default `1000`. */
  maxDelayMs?: number;
  /** The retry budget shared by all calls of the client. Default `{ ratio: 0.1, minRetriesPerSecond: 10, windowMs: 10000 }`. */
  budget?: RetryBudgetOptions;
}

/** Options of {@link createHttpClient}; only `baseUrl` is required. */
export interface HttpClientOptions {
  /**
   * The service called, `http://` or `https://`, e.g. `http://orders.shop.svc:8080`; a path (`/api`) is put before
   * every request path. Required.
   */
  baseUrl: string | URL;
  /** Name of the called service in spans (`peer.service`) and errors. Default the `baseUrl` host. */
  name?: string;
  /**
   * Time one call may take, all tries and backoffs included, in milliseconds; the deadline of the request, call or
   * job the call is made from lowers it. Default `10000`.
   */
  timeoutMs?: number;
  /** Retries of idempotent calls on transient failures, or `false` for none. Default `{}` (the defaults below). */
  retry?: HttpRetryOptions | false;
  /** Headers sent with every call (a call's own headers win). Default `{}`. */
  headers?: Record<string, string>;
  /** Most open connections to the service (one keep-alive pool per client, reused by all calls). Default `64`. */
  connections?: number;
}

/** {@link HttpClientOptions} merged with their defaults: the one place defaults are applied. */
export interface ResolvedHttpClientOptions {
  readonly origin: string;
  /** The base URL's path without a trailing slash, `''` for the root. */
  readonly basePath: string;
  /** `host:port` of the service (`server_address` of the metric). */
  readonly serverAddress: string;
  readonly serverHost: string;
  readonly serverPort: number;
  readonly name: string;
  readonly timeoutMs: number;
  /** `maxAttempts` 1 when retries are off. */
  readonly retry: Required<Omit<HttpRetryOptions, 'budget'>>;
  readonly budget: Required<RetryBudgetOptions>;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly connections: number;
}

function invalid(message: string): ClientsError {
  return new ClientsError('KENOS_ERR_CLIENTS_INVALID_ARGUMENT', message);
}

function positive(
  value: number | undefined,
  name: string,
  fallback: number,
  integer = true,
): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== 'number' ||
    !(value > 0) ||
    !Number.isFinite(value) ||
    (integer && !Number.isInteger(value))
  )
    throw invalid(
      `createHttpClient: ${name} must be a positive ${integer ? 'integer' : 'number'}, got ${String(value)}`,
    );
  return value;
}

function nonNegative(
  value: number | undefined,
  name: string,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value))
    throw invalid(
      `createHttpClient: ${name} must be a number ≥ 0, got ${String(value)}`,
    );
  return value;
}

/** Lower-cases the names of `headers` (a header set twice in different case: the last wins). */
export function lowerCaseHeaders(
  headers: Record<string, string> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers === undefined) return out;
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string')
      throw invalid(`header ${name} must be a string, got ${typeof value}`);
    out[name.toLowerCase()] = value;
  }
  return out;
}

/** Validates `options` and applies the defaults (documented on {@link HttpClientOptions}). */
export function resolveHttpClientOptions(
  options: HttpClientOptions,
): ResolvedHttpClientOptions {
  let url: URL;
  try {
    url = new URL(String(options?.baseUrl));
  } catch (err) {
    throw new ClientsError(
      'KENOS_ERR_CLIENTS_INVALID_ARGUMENT',
      `createHttpClient: baseUrl ${JSON.stringify(String(options?.baseUrl))} is not a URL`,
      { cause: err },
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw invalid(
      `createHttpClient: baseUrl must be http:// or https://, got ${url.protocol}`,
    );
  if (
    url.search !== '' ||
    url.hash !== '' ||
    url.username !== '' ||
    url.password !== ''
  )
    throw invalid(
      'createHttpClient: baseUrl must have no query, fragment or credentials',
    );
  const retry =
    options.retry === false ? { maxAttempts: 1 } : (options.retry ?? {});
  const budget =
    (options.retry === false ? undefined : options.retry?.budget) ?? {};
  const serverPort =
    url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  const serverHost = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    origin: url.origin,
    basePath: url.pathname.replace(/\/+$/, ''),
    serverAddress: `${url.hostname}:${serverPort}`,
    serverHost,
    serverPort,
    name: options.name ?? url.hostname,
    timeoutMs: positive(options.timeoutMs, 'timeoutMs', 10_000),
    retry: {
      maxAttempts: positive(retry.maxAttempts, 'retry.maxAttempts', 3),
      baseDelayMs: nonNegative(retry.baseDelayMs, 'retry.baseDelayMs', 50),
      maxDelayMs: nonNegative(retry.maxDelayMs, 'retry.maxDelayMs', 1000),
    },
    budget: {
      ratio: nonNegative(budget.ratio, 'retry.budget.ratio', 0.1),
      minRetriesPerSecond: nonNegative(
        budget.minRetriesPerSecond,
        'retry.budget.minRetriesPerSecond',
        10,
      ),
      windowMs: positive(budget.windowMs, 'retry.budget.windowMs', 10_000),
    },
    headers: lowerCaseHeaders(options.headers),
    connections: positive(options.connections, 'connections', 64),
  };
}
