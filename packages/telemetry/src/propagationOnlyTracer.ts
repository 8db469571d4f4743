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

const ID_BYTES = Buffer.allocUnsafe(16);

/** `bytes` random bytes as lowercase hex, never all zeros (an invalid id); like the SDK's RandomIdGenerator. */
function randomId(bytes: 8 | 16): string {
  for (let i = 0; i < bytes; i += 4) ID_BYTES.writeUInt32BE((Math.random() * 2 ** 32) >>> 0, i);
  for (let i = 0; i < bytes; i++) if (ID_BYTES[i] !== 0) return ID_BYTES.toString('hex', 0, bytes);
  ID_BYTES[bytes - 1] = 1;
  return ID_BYTES.toString('hex', 0, bytes);
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
    const traceId = validParent ? parent.traceId : randomId(16);
    const result = this.sampler.shouldSample(parentCtx, traceId, name, options.kind ?? SpanKind.INTERNAL, options.attributes ?? {}, options.links ?? []);
    const traceState = result.traceState ?? (validParent ? parent.traceState : undefined);
    return trace.wrapSpanContext({
      traceId,
      spanId: randomId(8),
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
