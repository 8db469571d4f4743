import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
  type Attributes,
  type Context,
  type Span,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';

/** Headers or metadata as a plain record: Node's `IncomingHttpHeaders` and grpc-js `Metadata.getMap()` fit. */
export type Carrier = Readonly<Record<string, unknown>>;

/** Lower-case forms of the (few, fixed) keys propagators ask for, so a missing key is not lower-cased on every request. */
const lowerCaseKeys = new Map<string, string>();
function lowerCase(key: string): string {
  let lower = lowerCaseKeys.get(key);
  if (lower === undefined) {
    lower = key.toLowerCase();
    if (lowerCaseKeys.size < 64) lowerCaseKeys.set(key, lower);
  }
  return lower;
}

/** Reads a carrier by lower-case key, taking the first of repeated values. */
const carrierGetter: TextMapGetter<Carrier> = {
  keys: (carrier) => Object.keys(carrier),
  get(carrier, key) {
    // Node lower-cases incoming header names and grpc-js metadata keys; W3C names are lower case
    let value = carrier[key];
    if (value === undefined) {
      const lower = lowerCase(key);
      if (lower !== key) value = carrier[lower];
    }
    if (Array.isArray(value)) value = value[0];
    if (value === undefined || value === null) return undefined;
    return typeof value === 'string' ? value : String(value);
  },
};

const carrierSetter: TextMapSetter<Record<string, unknown>> = {
  set(carrier, key, value) {
    carrier[key] = value;
  },
};

/** The context carried by `traceparent`/`tracestate`/`baggage` in `carrier` (incoming headers or gRPC metadata as a record). */
export function extractContext(
  carrier: Carrier,
  parent: Context = ROOT_CONTEXT,
): Context {
  return propagation.extract(parent, carrier, carrierGetter);
}

/** Writes the W3C headers of `ctx` (default: the active context) into `carrier` for an outgoing call; returns the carrier. */
export function injectContext<T extends Record<string, unknown>>(
  carrier: T,
  ctx: Context = context.active(),
): T {
  propagation.inject(ctx, carrier, carrierSetter);
  return carrier;
}

/** Span kinds, named as in the OpenTelemetry spec. */
export type KenosSpanKind =
  | 'server'
  | 'client'
  | 'internal'
  | 'producer'
  | 'consumer';

const KINDS: Record<KenosSpanKind, SpanKind> = {
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  internal: SpanKind.INTERNAL,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
};

/** Options of {@link withSpan}. */
export interface WithSpanOptions {
  /** Span name, e.g. `GET /users/:id` or `kenos.v1.Greeter/SayHello`. Required. */
  name: string;
  /** Span kind. Default `'internal'`. */
  kind?: KenosSpanKind;
  /** Attributes set at start (semantic-convention names). Default none. */
  attributes?: Attributes;
  /**
   * Incoming headers or metadata: when given, the span's parent is the context they
   * carry (a new trace when they carry none), not the active context. Default the active context.
   */
  carrier?: Carrier;
}

function fail(span: Span, err: unknown): void {
  span.recordException(err instanceof Error ? err : String(err));
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: err instanceof Error ? err.message : String(err),
  });
}

/**
 * Runs `fn` inside a new span made active for everything it calls (so log lines and
 * outgoing calls carry its ids). The span ends when `fn` returns or its promise settles;
 * a throw or rejection is recorded on the span and passed on unchanged.
 */
export function withSpan<T>(
  options: WithSpanOptions,
  fn: (span: Span) => T,
): T {
  const parent =
    options.carrier === undefined
      ? context.active()
      : extractContext(options.carrier);
  const tracer = trace.getTracer('@kenos/telemetry');
  const span = tracer.startSpan(
    options.name,
    { kind: KINDS[options.kind ?? 'internal'], attributes: options.attributes },
    parent,
  );
  return context.with(trace.setSpan(parent, span), () => {
    let result: T;
    try {
      result = fn(span);
    } catch (err) {
      fail(span, err);
      span.end();
      throw err;
    }
    if (
      result !== null &&
      typeof result === 'object' &&
      typeof (result as { then?: unknown }).then === 'function'
    ) {
      return (result as unknown as PromiseLike<unknown>).then(
        (value) => {
          span.end();
          return value;
        },
        (err: unknown) => {
          fail(span, err);
          span.end();
          throw err;
        },
      ) as T;
    }
    span.end();
    return result;
  });
}

/** Ids of the active span, for log lines; `undefined` outside any span. */
export interface TraceIds {
  /** 32 lowercase hex digits. */
  traceId: string;
  /** 16 lowercase hex digits. */
  spanId: string;
  /** Whether the span is sampled (exported). */
  sampled: boolean;
}

/** The ids of the active span (`trace_id`/`span_id` of log lines), or `undefined` when there is none. */
export function currentTraceIds(
  ctx: Context = context.active(),
): TraceIds | undefined {
  const sc = trace.getSpanContext(ctx);
  if (sc === undefined || !trace.isSpanContextValid(sc)) return undefined;
  return {
    traceId: sc.traceId,
    spanId: sc.spanId,
    sampled: (sc.traceFlags & 1) === 1,
  };
}
