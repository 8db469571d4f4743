/** Methods that are safe to send twice (RFC 9110 §9.2.2): only these are retried unless a call says `idempotent`. */
const IDEMPOTENT = new Set([
  'GET',
  'HEAD',
  'OPTIONS',
  'PUT',
  'DELETE',
  'TRACE',
]);

/** Whether a call of `method` may be retried. */
export function isIdempotent(
  method: string,
  idempotent: boolean | undefined,
): boolean {
  return idempotent ?? IDEMPOTENT.has(method);
}

/**
 * Statuses worth another try: 502 and 504 (a proxy or gateway in between failed), 503 (overloaded or draining),
 * 429 (rate limited). Not 500: a fault of the service that another try is unlikely to mend.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 503 || status === 502 || status === 504 || status === 429;
}

/**
 * Error codes of a connection that failed before any response arrived: refused, reset, closed by the peer (e.g. a
 * keep-alive socket the server closed as the request went out), unreachable, a DNS lookup that failed, a connect
 * that timed out. Another try on a new connection may well succeed.
 */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** Whether `err` (from undici) is a connection failure. */
export function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
  // a connect refused to every address of a host comes as an AggregateError of the addresses' errors
  return err instanceof AggregateError && err.errors.some(isConnectionError);
}

/** Full jitter (AWS architecture blog, "Exponential Backoff And Jitter"): uniform in [0, min(max, base × 2^(retry−1))]. */
export function backoffMs(
  retry: number,
  baseDelayMs: number,
  maxDelayMs: number,
): number {
  return Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (retry - 1));
}

/**
 * The delay a `Retry-After` header asks for, in milliseconds: delay-seconds or an HTTP-date (RFC 9110 §10.2.3);
 * `undefined` when absent or invalid.
 */
export function retryAfterMs(
  value: unknown,
  now = Date.now(),
): number | undefined {
  if (Array.isArray(value)) value = value[0];
  if (typeof value !== 'string') return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
