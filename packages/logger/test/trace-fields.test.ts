import {
  INVALID_SPANID,
  INVALID_TRACEID,
  isSpanContextValid,
  TraceFlags,
  type SpanContext,
} from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { isValidSpanContext } from '../src/trace-fields.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const ctx = (traceId: string, spanId: string): SpanContext => ({
  traceId,
  spanId,
  traceFlags: TraceFlags.SAMPLED,
});

describe('isValidSpanContext (the trace fields of log lines)', () => {
  it('agrees with @opentelemetry/api isSpanContextValid on valid, invalid and malformed ids', () => {
    const traceIds = [
      TRACE_ID,
      TRACE_ID.toUpperCase(),
      INVALID_TRACEID,
      '',
      TRACE_ID.slice(1),
      `${TRACE_ID}0`,
      `${TRACE_ID.slice(0, 31)}g`,
      `${TRACE_ID.slice(0, 31)}G`,
      `${TRACE_ID.slice(0, 31)}\u0010`,
      `${TRACE_ID.slice(0, 31)}/`,
      `${TRACE_ID.slice(0, 31)}:`,
      `${TRACE_ID.slice(0, 31)}@`,
      `${TRACE_ID.slice(0, 31)}\``,
    ];
    const spanIds = [
      SPAN_ID,
      SPAN_ID.toUpperCase(),
      INVALID_SPANID,
      '',
      SPAN_ID.slice(1),
      `${SPAN_ID.slice(0, 15)}x`,
      `${SPAN_ID.slice(0, 15)}\u0019`,
    ];
    for (const traceId of traceIds) {
      for (const spanId of spanIds) {
        expect([
          traceId,
          spanId,
          isValidSpanContext(ctx(traceId, spanId)),
        ]).toEqual([traceId, spanId, isSpanContextValid(ctx(traceId, spanId))]);
      }
    }
  });

  it('agrees with isSpanContextValid on every single-character change of a valid id', () => {
    for (let code = 0; code < 256; code++) {
      const traceId = `${TRACE_ID.slice(0, 16)}${String.fromCharCode(code)}${TRACE_ID.slice(17)}`;
      expect([code, isValidSpanContext(ctx(traceId, SPAN_ID))]).toEqual([
        code,
        isSpanContextValid(ctx(traceId, SPAN_ID)),
      ]);
    }
  });
});
