import {
  ROOT_CONTEXT,
  createContextKey,
  propagation,
  trace,
  type Context,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { describe, expect, it } from 'vitest';
import { EMPTY_LINKED_CONTEXT } from '../src/linked-context.js';

const KEYS = [
  createContextKey('a'),
  createContextKey('b'),
  createContextKey('c'),
];
type Op = { set: number; value: unknown } | { del: number };

/** Applies `ops` in order, returning every context on the way (the first is `start`). */
function run(start: Context, ops: Op[]): Context[] {
  const seen = [start];
  for (const op of ops) {
    const ctx = seen[seen.length - 1]!;
    seen.push(
      'set' in op
        ? ctx.setValue(KEYS[op.set]!, op.value)
        : ctx.deleteValue(KEYS[op.del]!),
    );
  }
  return seen;
}

function snapshot(ctx: Context): unknown[] {
  return KEYS.map((k) => ctx.getValue(k));
}

describe('EMPTY_LINKED_CONTEXT (the request paths’ context)', () => {
  it('answers every key as the API’s own context does, over random sequences of sets and deletes', () => {
    let seed = 7;
    const rand = (n: number) => (
      (seed = (seed * 1103515245 + 12345) % 2 ** 31),
      seed % n
    );
    for (let round = 0; round < 300; round++) {
      const ops: Op[] = Array.from({ length: 1 + rand(8) }, () =>
        rand(4) === 0
          ? { del: rand(3) }
          : {
              set: rand(3),
              value: rand(3) === 0 ? undefined : { v: rand(100) },
            },
      );
      const ours = run(EMPTY_LINKED_CONTEXT, ops);
      const theirs = run(ROOT_CONTEXT, ops);
      // every intermediate context, not only the last: no operation may change its receiver
      expect(ours.map(snapshot)).toEqual(theirs.map(snapshot));
    }
  });

  it('reads a value back through a chain of 100,000 links without overflowing the stack', () => {
    let ctx = EMPTY_LINKED_CONTEXT.setValue(KEYS[0]!, 'first');
    for (let i = 0; i < 100_000; i++) ctx = ctx.setValue(KEYS[1]!, i);
    expect(ctx.getValue(KEYS[0]!)).toBe('first');
    expect(ctx.getValue(KEYS[1]!)).toBe(99_999);
    expect(ctx.getValue(KEYS[2]!)).toBeUndefined();
  });

  it('carries an extracted parent and the active span as the API’s context does', () => {
    const propagator = new W3CTraceContextPropagator();
    const headers = {
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    };
    const getter = {
      get: (c: Record<string, string>, k: string) => c[k],
      keys: (c: Record<string, string>) => Object.keys(c),
    };
    const parent = propagator.extract(EMPTY_LINKED_CONTEXT, headers, getter);
    expect(trace.getSpanContext(parent)).toEqual(
      trace.getSpanContext(propagator.extract(ROOT_CONTEXT, headers, getter)),
    );
    const span = trace.wrapSpanContext({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: '00f067aa0ba902b7',
      traceFlags: 1,
    });
    const active = trace.setSpan(parent, span);
    expect(trace.getSpan(active)).toBe(span);
    expect(trace.getSpan(trace.deleteSpan(active))).toBeUndefined();
    expect(trace.getSpan(parent)?.spanContext().spanId).toBe(
      'b7ad6b7169203331',
    );
    const carrier: Record<string, string> = {};
    propagator.inject(active, carrier, { set: (c, k, v) => (c[k] = v) });
    expect(carrier.traceparent).toBe(
      '00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-01',
    );
    expect(propagation.getBaggage(active)).toBeUndefined();
  });
});
