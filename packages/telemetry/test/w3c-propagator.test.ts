import {
  ROOT_CONTEXT,
  defaultTextMapGetter,
  defaultTextMapSetter,
  propagation,
  trace,
  type Context,
} from '@opentelemetry/api';
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import { describe, expect, it } from 'vitest';
import { EMPTY_LINKED_CONTEXT } from '../src/linked-context.js';
import { W3CPropagator } from '../src/w3c-propagator.js';

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const CARRIERS: Record<string, string>[] = [
  {},
  { host: 'a', 'user-agent': 'b' },
  { traceparent: TRACEPARENT },
  { traceparent: TRACEPARENT, tracestate: 'congo=t61rcWkgMzE' },
  { tracestate: 'congo=t61rcWkgMzE' },
  { baggage: 'user=alice,tier=gold;p=1' },
  { traceparent: TRACEPARENT, baggage: 'user=alice' },
  { traceparent: 'not-a-traceparent' },
  { traceparent: '' },
  { baggage: '' },
  { traceparent: '00-00000000000000000000000000000000-b7ad6b7169203331-01' },
];

/** What a propagator extracted: the remote span context and the baggage entries. */
function seen(ctx: Context) {
  const entries = propagation.getBaggage(ctx)?.getAllEntries();
  return {
    spanContext: trace.getSpanContext(ctx),
    baggage: entries?.map(([k, e]) => [k, e.value, e.metadata?.toString()]),
  };
}

describe('W3CPropagator (the propagator startTracing installs)', () => {
  const reference = new CompositePropagator({
    propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
  });
  const ours = new W3CPropagator();

  it.each(CARRIERS.map((c) => [JSON.stringify(c), c]))(
    'extracts from %s exactly what the W3C composite extracts',
    (_name, carrier) => {
      for (const parent of [ROOT_CONTEXT, EMPTY_LINKED_CONTEXT]) {
        expect(
          seen(ours.extract(parent, carrier, defaultTextMapGetter)),
        ).toEqual(
          seen(reference.extract(parent, carrier, defaultTextMapGetter)),
        );
      }
    },
  );

  it('returns the parent itself when the carrier has neither traceparent nor baggage', () => {
    expect(
      ours.extract(
        EMPTY_LINKED_CONTEXT,
        { host: 'a', tracestate: 'x=1' },
        defaultTextMapGetter,
      ),
    ).toBe(EMPTY_LINKED_CONTEXT);
  });

  it('injects and lists its fields as the composite does', () => {
    const parent = reference.extract(
      ROOT_CONTEXT,
      {
        traceparent: TRACEPARENT,
        tracestate: 'congo=t61rcWkgMzE',
        baggage: 'user=alice',
      },
      defaultTextMapGetter,
    );
    const a: Record<string, string> = {};
    const b: Record<string, string> = {};
    ours.inject(parent, a, defaultTextMapSetter);
    reference.inject(parent, b, defaultTextMapSetter);
    expect(a).toEqual(b);
    expect(a.traceparent).toBe(TRACEPARENT);
    expect(ours.fields()).toEqual(reference.fields());
  });
});
