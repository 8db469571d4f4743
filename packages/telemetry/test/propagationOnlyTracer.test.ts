import { isValidSpanId, isValidTraceId } from '@opentelemetry/api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { randomHexId } from '../src/propagationOnlyTracer.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('randomHexId (ids of propagation-only spans)', () => {
  it('makes valid W3C trace ids (32 lowercase hex digits) and span ids (16), all different', () => {
    const traceIds = new Set<string>();
    const spanIds = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const traceId = randomHexId(4);
      const spanId = randomHexId(2);
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(isValidTraceId(traceId) && isValidSpanId(spanId)).toBe(true);
      traceIds.add(traceId);
      spanIds.add(spanId);
    }
    expect(traceIds.size).toBe(2000);
    expect(spanIds.size).toBe(2000);
  });

  it('spreads the bits over every hex digit position', () => {
    const seen = Array.from({ length: 32 }, () => new Set<string>());
    for (let i = 0; i < 500; i++) [...randomHexId(4)].forEach((c, k) => seen[k]!.add(c));
    for (const digits of seen) expect(digits.size).toBe(16);
  });

  it('never returns the invalid all-zero id, even when every random word is 0', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    expect(randomHexId(4)).toBe(`${'0'.repeat(31)}1`);
    expect(randomHexId(2)).toBe(`${'0'.repeat(15)}1`);
    expect(isValidTraceId(randomHexId(4))).toBe(true);
  });
});
