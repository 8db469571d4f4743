import { formatFigure, targetText } from './stats.mjs';

/** One Markdown table of all results: case, Kenos figure, anchor figure, ratio, target, verdict. */
export function markdownTable(results) {
  const lines = [
    '| suite | case | Kenos | anchor | ratio (median, min–max) | target | result |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of results) {
    if (r.error) {
      lines.push(
        `| ${r.suite} | ${r.case} | — | — | — | ${targetText(r.target)} | error: ${r.error} |`,
      );
      continue;
    }
    const ratio = `${r.ratio.median.toFixed(2)}× (${r.ratio.min.toFixed(2)}–${r.ratio.max.toFixed(2)})`;
    lines.push(
      `| ${r.suite} | ${r.case} | ${formatFigure(r.subject.median, r.unit)} | ${r.anchor.name}: ${formatFigure(r.anchor.median, r.unit)} | ${ratio} | ${targetText(r.target)} | ${r.verdict} |`,
    );
    for (const c of r.context ?? []) {
      lines.push(
        `| ${r.suite} | ↳ for context | — | ${c.name}: ${formatFigure(c.median, r.unit)} (${(c.median / r.anchor.median).toFixed(2)}× the anchor) | ${(r.subject.median / c.median).toFixed(2)}× | — | info |`,
      );
    }
  }
  return lines.join('\n');
}

/** Replaces the block between the two markers in `doc` with `table`. */
export function replaceResultsBlock(doc, table, header) {
  const begin = '<!-- bench:results:begin -->';
  const end = '<!-- bench:results:end -->';
  const i = doc.indexOf(begin);
  const j = doc.indexOf(end);
  if (i === -1 || j === -1 || j < i) {
    throw new Error(
      'KENOS_ERR_BENCH_DOC_MARKERS: docs/benchmarks.md lacks the results markers',
    );
  }
  return `${doc.slice(0, i + begin.length)}\n${header}\n\n${table}\n${doc.slice(j)}`;
}
