#!/usr/bin/env node
// Package hygiene on the tarball that `npm publish` would upload, run in a package directory:
// 1. only dist/ output, package.json, README and LICENSE are packed, .proto files under proto/ and the CLI's template/ (no src/, tests,
//    fixtures, build info);
// 2. the LICENSE is packed: the repository's MIT license text, as `"license": "MIT"` says;
// 3. source maps are self-contained: every packed .map carries the content of each source it names
//    (`sourcesContent`, from `inlineSources`) unless that source is packed too, and every
//    `sourceMappingURL` of a packed .js names a packed map. Declaration maps (.d.ts.map) only
//    point editors at src/, which is not published, so they are left out by `files`;
// 4. a package that imports a process-wide singleton API (@opentelemetry/api: one API instance per
//    process, or spans and context of one copy are invisible to the other) takes it as a
//    peerDependency, never as a dependency;
// 5. publint --strict: the exports map and package.json fields resolve and make sense;
// 6. attw (are the types wrong) on the packed tarball: ESM and types resolve under node16 and bundler.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const bin = join(root, 'node_modules/.bin');
const pkgDir = process.cwd();
const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));

const [report] = JSON.parse(
  execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: pkgDir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }),
);
const packed = new Set(report.files.map((f) => f.path));
const read = (path) => readFileSync(join(pkgDir, path), 'utf8');

function fail(code, message, lines = []) {
  console.error(
    `${code}: ${report.name} ${message}${lines.map((l) => `\n  ${l}`).join('')}`,
  );
  process.exit(1);
}

// 1. nothing but the published output
const allowedTop = /^(package\.json|README\.md|LICENSE(\.md)?|CHANGELOG\.md)$/;
const forbidden =
  /(^|\/)(src|test|__fixtures__)\/|\.test\.|\.spec\.|\.tsbuildinfo$/;
// template/: the service template of @kenos/cli (`kenos new`), a service's sources and tests on purpose
const leaks = [...packed].filter(
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
if (leaks.length > 0)
  fail('KENOS_ERR_PACK_LEAK', 'would publish files outside dist/:', leaks);

// 2. the license the manifest names, as a file
const license = readFileSync(join(root, 'LICENSE'), 'utf8');
if (manifest.license !== 'MIT')
  fail(
    'KENOS_ERR_PACK_LICENSE',
    `says "license": ${JSON.stringify(manifest.license)}; every @kenos package is "MIT"`,
  );
if (!packed.has('LICENSE'))
  fail(
    'KENOS_ERR_PACK_LICENSE',
    `would publish no LICENSE: copy the repository's LICENSE into ${pkgDir}`,
  );
if (read('LICENSE') !== license)
  fail(
    'KENOS_ERR_PACK_LICENSE',
    `LICENSE differs from the repository's LICENSE (MIT, The Kenos authors): copy it again`,
  );

// 3. source maps that work without the sources
const mapProblems = [];
for (const path of packed) {
  if (path.endsWith('.map')) {
    const map = JSON.parse(read(path));
    const sources = map.sources ?? [];
    const missing = sources.filter(
      (source, i) =>
        typeof map.sourcesContent?.[i] !== 'string' &&
        !packed.has(
          normalize(join(dirname(path), map.sourceRoot ?? '', source)),
        ),
    );
    if (missing.length > 0)
      mapProblems.push(
        `${path}: no sourcesContent for ${missing.join(', ')}, which is not packed`,
      );
  } else if (/\.[cm]?js$/.test(path)) {
    const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(read(path))?.[1];
    if (url && !url.startsWith('data:')) {
      const target = normalize(join(dirname(path), url));
      if (!packed.has(target))
        mapProblems.push(`${path}: names ${target}, which is not packed`);
    }
  }
}
if (mapProblems.length > 0)
  fail(
    'KENOS_ERR_PACK_SOURCEMAP',
    'would publish source maps that do not work without files it does not ship (embed the sources with inlineSources, or build without source maps):',
    mapProblems,
  );

// 4. singleton APIs as peers
const SINGLETONS = ['@opentelemetry/api'];
const specifiers =
  /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;
const imported = new Set();
for (const path of packed) {
  if (!/\.([cm]?js|d\.[cm]?ts)$/.test(path)) continue;
  for (const [, specifier] of read(path).matchAll(specifiers)) {
    const name = SINGLETONS.find(
      (s) => specifier === s || specifier.startsWith(`${s}/`),
    );
    if (name) imported.add(name);
  }
}
const peerProblems = [...imported].flatMap((name) => [
  ...['dependencies', 'optionalDependencies']
    .filter((field) => manifest[field]?.[name] !== undefined)
    .map((field) => `${name} is in ${field}: move it to peerDependencies`),
  ...(manifest.peerDependencies?.[name] === undefined
    ? [`${name} is not in peerDependencies`]
    : []),
]);
if (peerProblems.length > 0)
  fail(
    'KENOS_ERR_PACK_PEER',
    'imports an API that must be one instance per process, so a peerDependency (keep it in devDependencies for the build):',
    peerProblems,
  );

console.log(
  `${report.name}@${report.version}: ${report.files.length} files, ${report.size} bytes packed, no leaks, LICENSE, ` +
    `self-contained source maps${imported.size > 0 ? `, ${[...imported].join(', ')} as peer` : ''}`,
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
