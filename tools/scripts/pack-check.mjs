#!/usr/bin/env node
// Package hygiene on the tarball that `npm publish` would upload, run in a package directory:
// 1. only dist/ output, package.json, README and LICENSE are packed, .proto files under proto/ and the CLI's template/ (no src/, tests,
//    fixtures, build info);
// 2. publint --strict: the exports map and package.json fields resolve and make sense;
// 3. attw (are the types wrong) on the packed tarball: ESM and types resolve under node16 and bundler.
import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../node_modules/.bin',
);
const pkgDir = process.cwd();

const [report] = JSON.parse(
  execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: pkgDir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }),
);
const allowedTop = /^(package\.json|README\.md|LICENSE(\.md)?|CHANGELOG\.md)$/;
const forbidden =
  /(^|\/)(src|test|__fixtures__)\/|\.test\.|\.spec\.|\.tsbuildinfo$/;
// template/: the service template of @kenos/cli (`kenos new`), a service's sources and tests on purpose
const leaks = report.files
  .map((f) => f.path)
  .filter(
    (p) =>
      !p.startsWith('template/') &&
      (!(
        allowedTop.test(p) ||
        p.startsWith('dist/') ||
        p.startsWith('bin/') ||
        (p.startsWith('proto/') && p.endsWith('.proto')) ||
        (p.endsWith('.json') && !p.includes('/'))
      ) ||
        forbidden.test(p)),
  );
if (leaks.length > 0) {
  console.error(
    `KENOS_ERR_PACK_LEAK: ${report.name} would publish files outside dist/:\n  ${leaks.join('\n  ')}`,
  );
  process.exit(1);
}
console.log(
  `${report.name}@${report.version}: ${report.files.length} files, ${report.size} bytes packed, no leaks`,
);

const checks = [['publint', ['--strict']]];
// --no-types: a package without a JavaScript entry point (a JSON preset) has no types to check.
if (!process.argv.includes('--no-types')) {
  checks.push([
    'attw',
    ['--pack', '.', '--profile', 'esm-only', '--format', 'ascii'],
  ]);
}
for (const [cmd, args] of checks) {
  const r = spawnSync(join(bin, cmd), args, { cwd: pkgDir, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`KENOS_ERR_PACK_CHECK: ${cmd} failed for ${report.name}`);
    process.exit(r.status ?? 1);
  }
}
