import {
  SamplingDecision,
  SpanKind,
  TraceFlags,
  context as contextApi,
  trace,
  type Context,
  type Span,
  type SpanOptions,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import type { Sampler } from '@opentelemetry/sdk-trace';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * `words` × 32 random bits as lowercase hex, never all zeros (an invalid id); like the SDK's
 * RandomIdGenerator (Math.random), without a Buffer round trip per id.
 */
export function randomHexId(words: 2 | 4): string {
  let id = '';
  let zero = true;
  for (let i = 0; i < words; i++) {
    const r = (Math.random() * 2 ** 32) >>> 0;
    if (r !== 0) zero = false;
    id += `${HEX[r >>> 24]}${HEX[(r >>> 16) & 255]}${HEX[(r >>> 8) & 255]}${HEX[r & 255]}`;
  }
  return zero ? `${id.slice(0, -1)}1` : id;
}

/**
 * The tracer used when no span would be exported (no OTLP endpoint, no span processor):
 * every span is a non-recording span with a real new span id, the incoming trace id (or a
 * new one) and the sampling flag the configured sampler decides, so W3C propagation and
 * log correlation work exactly as with the SDK, at a fraction of the cost of building
 * spans that nobody reads.
 */
class PropagationOnlyTracer implements Tracer {
  constructor(private readonly sampler: Sampler) {}

  startSpan(name: string, options: SpanOptions = {}, ctx: Context = contextApi.active()): Span {
    const parentCtx = options.root ? trace.deleteSpan(ctx) : ctx;
    const parent = trace.getSpanContext(parentCtx);
    const validParent = parent !== undefined && trace.isSpanContextValid(parent);
    const traceId = validParent ? parent.traceId : randomHexId(4);
    const result = this.sampler.shouldSample(parentCtx, traceId, name, options.kind ?? SpanKind.INTERNAL, options.attributes ?? {}, options.links ?? []);
    const traceState = result.traceState ?? (validParent ? parent.traceState : undefined);
    return trace.wrapSpanContext({
      traceId,
      spanId: randomHexId(2),
      traceFlags: result.decision === SamplingDecision.RECORD_AND_SAMPLED ? TraceFlags.SAMPLED : TraceFlags.NONE,
      ...(traceState ? { traceState } : {}),
    });
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, ctx: Context, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, a?: F | SpanOptions, b?: F | Context, c?: F): ReturnType<F> {
    let options: SpanOptions = {};
    let ctx: Context = contextApi.active();
    let fn: F;
    if (typeof a === 'function') fn = a;
    else if (typeof b === 'function') {
      options = a ?? {};
      fn = b;
    } else {
      options = a ?? {};
      ctx = b ?? ctx;
      fn = c as F;
    }
    const span = this.startSpan(name, options, ctx);
    return contextApi.with(trace.setSpan(ctx, span), fn as (s: Span) => ReturnType<F>, undefined, span);
  }
}

/** A tracer provider whose tracers make propagation-only spans (see PropagationOnlyTracer). */
export function createPropagationOnlyProvider(sampler: Sampler): TracerProvider & { forceFlush(): Promise<void>; shutdown(): Promise<void> } {
  const tracer = new PropagationOnlyTracer(sampler);
  return {
    getTracer: () => tracer,
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
}
