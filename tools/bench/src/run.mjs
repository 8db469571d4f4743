#!/usr/bin/env node
// The benchmark runner: `npm run bench` (full) or `npm run bench -- --quick` (CI).
// Every case measures Kenos and its anchor in the same process run, interleaved
// (A B, B A, A B, … so drift hits both sides alike), and reports the median of the
// per-round ratios with their min–max. Figures are never compared across runs.
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { median, ratioSummary, verdict } from './stats.mjs';
import { markdownTable, replaceResultsBlock } from './report.mjs';
import { settle } from './measure.mjs';
import { pinningNote } from './processes.mjs';

const root = new URL('../../../', import.meta.url).pathname;

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    suite: { type: 'string', multiple: true },
    case: { type: 'string', multiple: true },
    rounds: { type: 'string' },
    ms: { type: 'string' },
    write: { type: 'boolean', default: true },
    'suites-dir': { type: 'string' },
  },
  allowNegative: true,
});
const suitesDir =
  values['suites-dir'] ?? new URL('../suites/', import.meta.url).pathname;
const mode = values.quick ? 'quick' : 'full';
const rounds = Number(values.rounds ?? (values.quick ? 3 : 7));
const durationMs = Number(values.ms ?? (values.quick ? 150 : 1000));

const files = readdirSync(suitesDir)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter(
    (f) => !values.suite || values.suite.includes(f.replace('.bench.mjs', '')),
  )
  .sort();

async function measureSide(side, state) {
  await settle();
  return side.measure(state, { durationMs, mode });
}

async function runCase(suiteName, c) {
  const sides = [c.anchor, c.subject, ...(c.context ?? [])];
  const states = [];
  const samples = sides.map(() => []);
  try {
    for (const side of sides)
      states.push(side.setup ? await side.setup({ mode }) : undefined);
    for (let r = 0; r < rounds; r++) {
      const order =
        r % 2 === 0
          ? sides.map((_, i) => i)
          : sides.map((_, i) => sides.length - 1 - i);
      for (const i of order)
        samples[i].push(await measureSide(sides[i], states[i]));
    }
  } catch (err) {
    return {
      suite: suiteName,
      case: c.name,
      target: c.target,
      error: err?.message ?? String(err),
    };
  } finally {
    for (let i = states.length - 1; i >= 0; i--)
      await sides[i].teardown?.(states[i]);
  }
  const ratio = ratioSummary(samples[1], samples[0]);
  // For costs (lower is better) the ratio is still Kenos/anchor and the target is a max.
  return {
    suite: suiteName,
    case: c.name,
    unit: c.unit,
    better: c.better ?? 'higher',
    target: c.target,
    anchor: {
      name: c.anchor.name,
      median: median(samples[0]),
      samples: samples[0],
    },
    subject: {
      name: c.subject.name,
      median: median(samples[1]),
      samples: samples[1],
    },
    context: (c.context ?? []).map((side, k) => ({
      name: side.name,
      median: median(samples[k + 2]),
      samples: samples[k + 2],
    })),
    ratio,
    verdict: verdict(ratio.median, c.target),
  };
}

const results = [];
console.log(
  `kenos bench (${mode}): ${rounds} interleaved rounds of ~${durationMs} ms per side, node ${process.version}`,
);
console.log(pinningNote());
for (const file of files) {
  const suite = (await import(pathToFileURL(join(suitesDir, file)).href))
    .default;
  const cases = values.case
    ? suite.cases.filter((c) =>
        values.case.some((part) => c.name.includes(part)),
      )
    : suite.cases;
  for (const c of cases) {
    process.stdout.write(`  ${suite.name}: ${c.name} … `);
    const result = await runCase(suite.name, c);
    results.push(result);
    console.log(
      result.error
        ? `error: ${result.error}`
        : `${result.ratio.median.toFixed(2)}× (${result.verdict})`,
    );
  }
}

if (results.length === 0) {
  console.error(
    `KENOS_ERR_BENCH_SELECTION: no case matches ${JSON.stringify({ suite: values.suite, case: values.case })}`,
  );
  process.exit(2);
}
const table = markdownTable(results);
console.log(`\n${table}\n`);
const meta = {
  date: new Date().toISOString(),
  mode,
  rounds,
  durationMs,
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  pinning: pinningNote(),
};
if (values.write) {
  const dir = join(root, 'tools/bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(
    dir,
    mode === 'full'
      ? `${meta.date.replace(/[:.]/g, '-')}.json`
      : 'quick-latest.json',
  );
  writeFileSync(file, `${JSON.stringify({ ...meta, results }, null, 2)}\n`);
  console.log(`results: ${file.slice(root.length)}`);
  // docs/benchmarks.md keeps the table of a complete full run only.
  if (mode === 'full' && !values.suite && !values.case) {
    const docPath = join(root, 'docs/benchmarks.md');
    const header = `Latest full run: ${meta.date}, Node ${meta.node}, ${meta.cpu} (${meta.cores} cores), ${rounds} rounds of ${durationMs} ms. ${meta.pinning}`;
    writeFileSync(
      docPath,
      replaceResultsBlock(readFileSync(docPath, 'utf8'), table, header),
    );
    console.log('table written to docs/benchmarks.md');
  }
}
const errors = results.filter((r) => r.error);
const failed = results.filter((r) => r.verdict === 'fail');
console.log(
  `bench: ${results.length - errors.length} cases measured, ${failed.length} below target, ${errors.length} errors`,
);
// Benchmark numbers never fail the build (shared, noisy machine); a case that cannot run does.
process.exit(errors.length > 0 ? 1 : 0);
