/**
 * The request header that carries a caller's remaining deadline to a Kenos REST service: the
 * milliseconds the caller still waits, as a positive decimal integer (e.g. `x-kenos-timeout-ms: 850`).
 * The HTTP client of `@kenos/clients` sends it on every call; the REST transport lowers the handler
 * timeout to it, so the handler's call scope (and every call it makes) ends when the caller stops
 * waiting. The gRPC counterpart is the standard `grpc-timeout`.
 */
export const TIMEOUT_HEADER = 'x-kenos-timeout-ms';

/** Largest accepted value: 2^31 − 1 ms (~24.8 days), the longest delay a Node.js timer takes. */
const MAX_TIMEOUT_MS = 2_147_483_647;

/**
 * The milliseconds an incoming {@link TIMEOUT_HEADER} value allows, or `undefined` when it is absent
 * or not a positive decimal integer of at most 10 digits up to 2^31 − 1 (an invalid value is ignored,
 * not refused: the handler timeout applies).
 */
export function parseTimeoutHeader(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 10)
    return undefined;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  const ms = Number(value);
  return ms > 0 && ms <= MAX_TIMEOUT_MS ? ms : undefined;
}
