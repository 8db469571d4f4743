// Pure statistics of the harness: no timing, no I/O, so they are unit-tested exactly.

/** Median of a non-empty list of numbers. */
export function median(values) {
  if (values.length === 0)
    throw new Error('KENOS_ERR_BENCH_NO_SAMPLES: median of no samples');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? sorted[mid]
    : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Per-round ratios Kenos/anchor (rounds are interleaved, so round i of both sides
 * saw the same machine state) and their median, min and max.
 */
export function ratioSummary(subjectSamples, anchorSamples) {
  if (
    subjectSamples.length !== anchorSamples.length ||
    subjectSamples.length === 0
  ) {
    throw new Error(
      'KENOS_ERR_BENCH_NO_SAMPLES: subject and anchor need the same, non-zero number of rounds',
    );
  }
  const ratios = subjectSamples.map((s, i) => s / anchorSamples[i]);
  return {
    median: median(ratios),
    min: Math.min(...ratios),
    max: Math.max(...ratios),
    ratios,
  };
}

/**
 * Verdict of a ratio against a target: `{ min }` for throughput (higher is better),
 * `{ max }` for costs such as startup time or memory (lower is better); no target, no verdict.
 */
export function verdict(ratio, target) {
  if (!target) return 'info';
  if (target.min !== undefined && ratio < target.min) return 'fail';
  if (target.max !== undefined && ratio > target.max) return 'fail';
  return 'pass';
}

/** Human text of a target, e.g. `≥ 0.85×` or `≤ 1.2×`. */
export function targetText(target) {
  if (!target) return '—';
  const parts = [];
  if (target.min !== undefined) parts.push(`≥ ${target.min}×`);
  if (target.max !== undefined) parts.push(`≤ ${target.max}×`);
  return parts.join(', ');
}

/** Formats a figure with 3 significant digits and thousands separators. */
export function formatFigure(value, unit) {
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return `${value.toLocaleString('en-US', { maximumFractionDigits: digits })} ${unit}`;
}
