import { describe, expect, it } from 'vitest';
import { isoTimeField } from '../src/build-logger.js';

const expected = (ms: number): string =>
  `,"time":"${new Date(ms).toISOString()}"`;

describe('the time field of a log line', () => {
  it('is Date#toISOString for every millisecond of a second and across second boundaries', () => {
    const start = Date.UTC(2026, 10, 27, 23, 59, 58, 990);
    for (let ms = start; ms < start + 2100; ms++)
      expect(isoTimeField(ms)).toBe(expected(ms));
  });

  it('is Date#toISOString for random times, in any order (the per-second cache never leaks)', () => {
    const times = [
      0,
      1,
      999,
      1000,
      Date.UTC(2000, 1, 29, 12, 0, 0, 5),
      Date.UTC(1999, 11, 31, 23, 59, 59, 999),
      -1,
      -1001,
    ];
    for (let i = 0; i < 2000; i++)
      times.push(Math.floor(Math.random() * Date.UTC(2200, 0, 1)));
    for (const ms of times)
      expect([ms, isoTimeField(ms)]).toEqual([ms, expected(ms)]);
  });
});
