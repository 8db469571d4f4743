import type { Context, TextMapGetter } from '@opentelemetry/api';
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';

/**
 * W3C trace context and baggage, as `CompositePropagator` of `W3CTraceContextPropagator` and
 * `W3CBaggagePropagator`, with one shortcut on the request path: a carrier with neither a
 * `traceparent` nor a `baggage` field (the first call into a fleet, a health check) is answered
 * with the parent context at once, where the composite would run both propagators through a
 * per-call closure and two try/catch frames only for each to find its field missing and return
 * the parent unchanged. Everything else is the composite's (a differential test compares the two).
 */
export class W3CPropagator extends CompositePropagator {
  constructor() {
    super({
      propagators: [
        new W3CTraceContextPropagator(),
        new W3CBaggagePropagator(),
      ],
    });
  }

  override extract(
    context: Context,
    carrier: unknown,
    getter: TextMapGetter,
  ): Context {
    // `tracestate` alone is ignored by the trace-context propagator, so these two fields decide
    if (
      getter.get(carrier, 'traceparent') === undefined &&
      getter.get(carrier, 'baggage') === undefined
    )
      return context;
    return super.extract(context, carrier, getter);
  }
}
