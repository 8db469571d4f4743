#!/usr/bin/env node
// `npm test`: prettier --check, then every check of every project through Nx (sync, lint, typecheck,
// API reports, package hygiene, unit and integration tests), then one summary
// line of the tests that really ran, read from each project's vitest JSON report.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { checkNode } from './check-node.mjs';
import { ensureSystemDeps } from './system-deps.mjs';

const root = new URL('../..', import.meta.url).pathname;
checkNode();
ensureSystemDeps(); // Prometheus/promtool for the metric tests: installed when missing (root), else explained

const projectDirs = ['packages', 'examples', 'tools']
  .filter((d) => existsSync(join(root, d)))
  .flatMap((d) =>
    readdirSync(join(root, d), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => join(root, d, e.name)),
  );
const resultFile = (dir) => join(dir, 'test-output/vitest/results.json');
for (const dir of projectDirs) rmSync(resultFile(dir), { force: true });

const env = {
  ...process.env,
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_TUI: 'false',
};
const run = (args) =>
  spawnSync('nx', args, { cwd: root, stdio: 'inherit', env }).status ?? 1;

// formatting by machine: every source file as prettier writes it (`npm run format` fixes the tree)
const prettier = spawnSync(
  'prettier',
  ['--check', '--log-level=warn', '**/*.{ts,mts,cts,js,mjs,cjs}'],
  { cwd: root, stdio: 'inherit', env },
);
const formatStatus = prettier.status ?? 1;
let status = run(['sync:check']);
if (status === 0) {
  const targets =
    process.env.KENOS_TEST_TARGETS ??
    'lint,typecheck,api-check,pack-check,test';
  status = run([
    'run-many',
    '-t',
    ...targets.split(','),
    '--outputStyle=static',
    '--parallel=2',
  ]);
}

let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
for (const dir of projectDirs) {
  if (!existsSync(resultFile(dir))) continue;
  const r = JSON.parse(readFileSync(resultFile(dir), 'utf8'));
  const s = r.numPendingTests + (r.numTodoTests ?? 0);
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += s;
  rows.push(
    `  ${dir.slice(root.length).padEnd(28)} ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${s} skipped`,
  );
}
console.log(`\nTests by project:\n${rows.join('\n')}`);
if (status !== 0)
  console.log('\nSome checks failed: see the Nx summary above.');
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (formatStatus !== 0)
  console.log(
    '\nprettier --check failed on the files listed above: run `npm run format` and commit the result.',
  );
process.exit(
  status !== 0 || formatStatus !== 0 || failed > 0 || passed === 0 ? 1 : 0,
);
