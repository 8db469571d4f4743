import {
  SamplingDecision,
  SpanKind,
  TraceFlags,
  context as contextApi,
  trace,
  type Context,
  type Link,
  type Span,
  type SpanContext,
  type SpanOptions,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import { randomFillSync } from 'node:crypto';
import type { Sampler } from '@opentelemetry/sdk-trace';

const POOL_BYTES = 4096;
/** Random bytes for ids, refilled from the operating system's CSPRNG every 4 KiB (256 trace ids). */
const pool = Buffer.allocUnsafeSlow(POOL_BYTES);
/** `pool` as lowercase hex, encoded once per refill: an id is then a slice of it, with no call into C++. */
let poolHex = '';
let poolOffset = POOL_BYTES;

/**
 * `bytes[start..end)` as lowercase hex, taken from `hex` (all of `bytes` as hex), or, when they
 * are all zero (an invalid W3C id), the same number of zeros ending in `1`.
 */
export function hexIdOf(
  bytes: Uint8Array,
  hex: string,
  start: number,
  end: number,
): string {
  for (let i = start; i < end; i++) {
    if (bytes[i] !== 0) return hex.slice(start * 2, end * 2);
  }
  return `${'0'.repeat((end - start) * 2 - 1)}1`;
}

/**
 * `words` × 32 random bits as lowercase hex, never all zeros (an invalid id): a slice of a pool
 * of random bytes (`crypto.randomFillSync`) hex-encoded once per refill, where the SDK's
 * RandomIdGenerator builds each id from `Math.random` through a Buffer and several short strings.
 */
export function randomHexId(words: 2 | 4): string {
  const bytes = words * 4;
  if (poolOffset + bytes > POOL_BYTES) {
    randomFillSync(pool);
    poolHex = pool.toString('hex');
    poolOffset = 0;
  }
  const start = poolOffset;
  poolOffset += bytes;
  return hexIdOf(pool, poolHex, start, poolOffset);
}

/** Samplers get no links from the instrumentation; one shared, frozen empty list. */
const NO_LINKS = Object.freeze([]) as unknown as Link[];

/**
 * The tracer used when no span would be exported (no OTLP endpoint, no span processor):
 * every span is a non-recording span with a real new span id, the incoming trace id (or a
 * new one) and the sampling flag the configured sampler decides, so W3C propagation and
 * log correlation work exactly as with the SDK, at a fraction of the cost of building
 * spans that nobody reads.
 */
class PropagationOnlyTracer implements Tracer {
  constructor(private readonly sampler: Sampler) {}

  startSpan(
    name: string,
    options: SpanOptions = {},
    ctx: Context = contextApi.active(),
  ): Span {
    const parentCtx = options.root ? trace.deleteSpan(ctx) : ctx;
    const parent = trace.getSpanContext(parentCtx);
    const validParent =
      parent !== undefined && trace.isSpanContextValid(parent);
    const traceId = validParent ? parent.traceId : randomHexId(4);
    const result = this.sampler.shouldSample(
      parentCtx,
      traceId,
      name,
      options.kind ?? SpanKind.INTERNAL,
      options.attributes ?? {},
      options.links ?? NO_LINKS,
    );
    const traceState =
      result.traceState ?? (validParent ? parent.traceState : undefined);
    const spanContext: SpanContext = {
      traceId,
      spanId: randomHexId(2),
      traceFlags:
        result.decision === SamplingDecision.RECORD_AND_SAMPLED
          ? TraceFlags.SAMPLED
          : TraceFlags.NONE,
    };
    if (traceState) spanContext.traceState = traceState;
    return trace.wrapSpanContext(spanContext);
  }

  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    options: SpanOptions,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    options: SpanOptions,
    ctx: Context,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    a?: F | SpanOptions,
    b?: F | Context,
    c?: F,
  ): ReturnType<F> {
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
    return contextApi.with(
      trace.setSpan(ctx, span),
      fn as (s: Span) => ReturnType<F>,
      undefined,
      span,
    );
  }
}

/** A tracer provider whose tracers make propagation-only spans (see PropagationOnlyTracer). */
export function createPropagationOnlyProvider(
  sampler: Sampler,
): TracerProvider & { forceFlush(): Promise<void>; shutdown(): Promise<void> } {
  const tracer = new PropagationOnlyTracer(sampler);
  return {
    getTracer: () => tracer,
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
}
