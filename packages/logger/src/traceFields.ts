import { isSpanContextValid, trace, type SpanContext } from '@opentelemetry/api';

const FLAGS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

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
  lastFragment = isSpanContextValid(ctx)
    ? `,"trace_id":"${ctx.traceId}","span_id":"${ctx.spanId}","trace_flags":"${FLAGS[ctx.traceFlags & 0xff]}"`
    : '';
  return lastFragment;
}
