import { isValidSpanId, isValidTraceId } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { hexIdOf, randomHexId } from '../src/propagation-only-tracer.js';

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
    for (let i = 0; i < 500; i++)
      [...randomHexId(4)].forEach((c, k) => seen[k]!.add(c));
    for (const digits of seen) expect(digits.size).toBe(16);
  });

  it('never returns the invalid all-zero id, even when every random byte is 0', () => {
    const zeros = (n: number) => [Buffer.alloc(n), '00'.repeat(n)] as const;
    expect(hexIdOf(...zeros(16), 0, 16)).toBe(`${'0'.repeat(31)}1`);
    expect(hexIdOf(...zeros(24), 16, 24)).toBe(`${'0'.repeat(15)}1`);
    expect(isValidTraceId(hexIdOf(...zeros(16), 0, 16))).toBe(true);
    expect(isValidSpanId(hexIdOf(...zeros(8), 0, 8))).toBe(true);
  });

  it('reads only its own bytes of the pool', () => {
    const bytes = Buffer.from([0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0xab]);
    const hex = bytes.toString('hex');
    expect(hexIdOf(bytes, hex, 1, 9)).toBe(`${'0'.repeat(15)}1`);
    expect(hexIdOf(bytes, hex, 2, 10)).toBe('00000000000000ab');
    expect(hexIdOf(bytes, hex, 0, 8)).toBe('ff00000000000000');
  });

  it('keeps making distinct valid ids across many refills of the random pool', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 3000; i++) ids.add(randomHexId(i % 2 === 0 ? 4 : 2));
    expect(ids.size).toBe(3000);
  });
});
