import {
  INVALID_SPANID,
  INVALID_TRACEID,
  trace,
  type SpanContext,
} from '@opentelemetry/api';

const FLAGS = Array.from({ length: 256 }, (_, i) =>
  i.toString(16).padStart(2, '0'),
);

/** `id` is `length` hex digits (either case, as `@opentelemetry/api` accepts): a loop, not its regular expression per line. */
function isHexId(id: string, length: number): boolean {
  if (id.length !== length) return false;
  for (let i = 0; i < length; i++) {
    const c = id.charCodeAt(i);
    const lower = c | 0x20; // folds A-F onto a-f
    if (!((c >= 0x30 && c <= 0x39) || (lower >= 0x61 && lower <= 0x66)))
      return false;
  }
  return true;
}

/** `isSpanContextValid` of `@opentelemetry/api`, with the hex checks above. */
export function isValidSpanContext(ctx: SpanContext): boolean {
  return (
    isHexId(ctx.traceId, 32) &&
    ctx.traceId !== INVALID_TRACEID &&
    isHexId(ctx.spanId, 16) &&
    ctx.spanId !== INVALID_SPANID
  );
}

let lastContext: SpanContext | undefined;
let lastFragment = '';

/**
 * `,"trace_id":"…","span_id":"…","trace_flags":"01"` for the active OpenTelemetry span, read
 * through `@opentelemetry/api` only (so it works with no SDK installed), or `''` when no valid span
 * is active. The fragment is cached for the last span context: every line of one span reuses it.
 *
 * It is appended to pino's `timestamp` fragment rather than returned by a `mixin`: a mixin object
 * is merged into each log object, walked by the redactor and stringified key by key, which cost
 * about a tenth of the throughput of a logger inside a span; the ids are hex strings that need no
 * escaping nor redaction.
 */
export function traceFragment(): string {
  const span = trace.getActiveSpan();
  if (span === undefined) return '';
  const ctx = span.spanContext();
  if (ctx === lastContext) return lastFragment;
  lastContext = ctx;
  lastFragment = isValidSpanContext(ctx)
    ? `,"trace_id":"${ctx.traceId}","span_id":"${ctx.spanId}","trace_flags":"${FLAGS[ctx.traceFlags & 0xff]}"`
    : '';
  return lastFragment;
}
