import { describe, expect, it } from 'vitest';
import {
  formatFigure,
  median,
  ratioSummary,
  targetText,
  verdict,
} from './stats.mjs';
import { markdownTable, replaceResultsBlock } from './report.mjs';

describe('benchmark statistics', () => {
  it('takes the median of odd and even sample counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(/KENOS_ERR_BENCH_NO_SAMPLES/);
  });

  it('computes per-round ratios so a slow round hits both sides alike', () => {
    const r = ratioSummary([90, 45, 80], [100, 50, 100]);
    expect(r.ratios).toEqual([0.9, 0.9, 0.8]);
    expect(r.median).toBe(0.9);
    expect([r.min, r.max]).toEqual([0.8, 0.9]);
  });

  it('refuses rounds of different counts', () => {
    expect(() => ratioSummary([1, 2], [1])).toThrow(
      /same, non-zero number of rounds/,
    );
  });

  it('judges throughput targets as minimums and cost targets as maximums', () => {
    expect(verdict(0.86, { min: 0.85 })).toBe('pass');
    expect(verdict(0.84, { min: 0.85 })).toBe('fail');
    expect(verdict(1.3, { max: 1.2 })).toBe('fail');
    expect(verdict(1.1, { max: 1.2 })).toBe('pass');
    expect(verdict(5, undefined)).toBe('info');
    expect(targetText({ min: 0.85 })).toBe('≥ 0.85×');
    expect(targetText({ max: 1.2 })).toBe('≤ 1.2×');
  });

  it('formats figures with units and thousands separators', () => {
    expect(formatFigure(1234567.89, 'ops/s')).toBe('1,234,568 ops/s');
    expect(formatFigure(3.14159, 'ms')).toBe('3.14 ms');
  });

  it('renders one Markdown row per case, errors included', () => {
    const table = markdownTable([
      {
        suite: 's',
        case: 'c',
        unit: 'ops/s',
        target: { min: 0.5 },
        verdict: 'pass',
        anchor: { name: 'bare', median: 100 },
        subject: { median: 90 },
        ratio: { median: 0.9, min: 0.8, max: 1 },
        context: [{ name: 'console.log', median: 30 }],
      },
      { suite: 's', case: 'broken', target: undefined, error: 'boom' },
    ]);
    expect(table).toContain(
      '| s | c | 90 ops/s | bare: 100 ops/s | 0.90× (0.80–1.00) | ≥ 0.5× | pass |',
    );
    expect(table).toContain(
      '| s | ↳ for context | — | console.log: 30 ops/s (0.30× the anchor) | 3.00× | — | info |',
    );
    expect(table).toContain('| s | broken | — | — | — | — | error: boom |');
  });

  it('replaces only the results block of the benchmarks doc', () => {
    const doc =
      'intro\n<!-- bench:results:begin -->\nold\n<!-- bench:results:end -->\noutro\n';
    expect(replaceResultsBlock(doc, 'TABLE', 'HEAD')).toBe(
      'intro\n<!-- bench:results:begin -->\nHEAD\n\nTABLE\n<!-- bench:results:end -->\noutro\n',
    );
    expect(() => replaceResultsBlock('no markers', 'T', 'H')).toThrow(
      /KENOS_ERR_BENCH_DOC_MARKERS/,
    );
  });
});
