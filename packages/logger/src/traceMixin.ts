import { isSpanContextValid, trace } from '@opentelemetry/api';

/** Returned when no span is active: recognised by `mergeTraceFields`, never mutated. */
const NO_TRACE: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

const FLAGS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * pino `mixin`: `trace_id`, `span_id` and `trace_flags` of the active OpenTelemetry span, read
 * through `@opentelemetry/api` only (works with no SDK installed). With no active span it returns
 * a shared empty object that {@link mergeTraceFields} skips, so the log object is not copied.
 */
export function traceMixin(): Record<string, unknown> {
  const span = trace.getActiveSpan();
  if (span === undefined) return NO_TRACE;
  const ctx = span.spanContext();
  if (!isSpanContextValid(ctx)) return NO_TRACE;
  return { trace_id: ctx.traceId, span_id: ctx.spanId, trace_flags: FLAGS[ctx.traceFlags & 0xff] };
}

/** pino `mixinMergeStrategy`: fields of the log call win over the trace fields. */
export function mergeTraceFields(
  mergeObject: Record<string, unknown>,
  mixinObject: Record<string, unknown>,
): Record<string, unknown> {
  return mixinObject === NO_TRACE ? mergeObject : Object.assign(mixinObject, mergeObject);
}
