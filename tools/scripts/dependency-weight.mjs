#!/usr/bin/env node
// What a consumer installs with each publishable @kenos package: the installed size of its
// production dependency closure, walked in this repository's node_modules.
//
// For each package under packages/ that is not private, starting from its `dependencies`,
// `optionalDependencies` (those installed on this platform) and required `peerDependencies`
// (npm 7+ installs them; optional peers are not followed): every package reached is resolved as
// Node resolves it (node_modules upwards from the package's real directory), counted once (by
// real path) and weighed as the sum of its file sizes, nested node_modules excluded (they are
// packages of their own, counted when reached). An @kenos package weighs what its tarball
// unpacks to (`npm pack --dry-run`), so build first (`npm run build`).
//
// The table lists per package: its own unpacked size, the number of packages of its closure,
// the size of the install (package and closure: `installed` in file bytes, what a tarball or an
// image layer holds; `on disk` in allocated blocks, what `du` reports, much larger for the many
// small files of the AWS SDK) and the three heaviest parts: the third-party packages, with what
// only they pull in, that make up most of it.
//
//   node tools/scripts/dependency-weight.mjs            # the table
//   node tools/scripts/dependency-weight.mjs --json     # the figures as JSON
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  readdirSync,
  readFileSync,
  realpathSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** Real directory of `name` as required from `fromDir`, or undefined when not installed. */
function resolvePackage(name, fromDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json')))
      return realpathSync(candidate);
    if (dirname(dir) === dir) return undefined;
  }
}

/** File bytes and disk bytes (allocated blocks) of the regular files under `dir`, nested node_modules left out. */
function directorySize(dir, total = { bytes: 0, disk: 0 }) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) directorySize(path, total);
    else if (entry.isFile()) {
      const stat = lstatSync(path);
      total.bytes += stat.size;
      total.disk += stat.blocks * 512;
    }
  }
  return total;
}

/** What an @kenos workspace package unpacks to from its tarball (disk: in 4 KiB blocks). */
function packedSize(dir) {
  const [report] = JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  );
  return {
    bytes: report.unpackedSize,
    disk: report.files.reduce((t, f) => t + Math.ceil(f.size / 4096) * 4096, 0),
  };
}

const workspaceDir = join(root, 'packages');
const isWorkspace = (dir) => dir.startsWith(workspaceDir + '/');

/** The production edges of a package: what npm installs for it. */
function productionEdges(manifest) {
  const optionalPeers = new Set(
    Object.entries(manifest.peerDependenciesMeta ?? {})
      .filter(([, meta]) => meta?.optional)
      .map(([name]) => name),
  );
  const required = [
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}).filter(
      (name) => !optionalPeers.has(name),
    ),
  ];
  return {
    required,
    optional: Object.keys(manifest.optionalDependencies ?? {}),
  };
}

/** Every package of the repository's node_modules the walk reaches, by real path. */
const nodes = new Map();

function node(dir) {
  let n = nodes.get(dir);
  if (n) return n;
  const manifest = readJson(join(dir, 'package.json'));
  n = {
    dir,
    name: manifest.name,
    workspace: isWorkspace(dir),
    ...(isWorkspace(dir) ? packedSize(dir) : directorySize(dir)),
    edges: [],
  };
  nodes.set(dir, n);
  const { required, optional } = productionEdges(manifest);
  for (const name of new Set([...required, ...optional])) {
    const target = resolvePackage(name, dir);
    if (target) n.edges.push(target);
    else if (!optional.includes(name))
      console.error(`warning: ${name} (needed by ${n.name}) is not installed`);
  }
  for (const target of n.edges) node(target);
  return n;
}

/** The real paths reachable from `start`, never passing through `blocked`. */
function reach(start, blocked) {
  const seen = new Set();
  const stack = [start];
  while (stack.length > 0) {
    const dir = stack.pop();
    if (seen.has(dir) || dir === blocked) continue;
    seen.add(dir);
    stack.push(...nodes.get(dir).edges);
  }
  return seen;
}

const sum = (dirs, field = 'bytes') =>
  [...dirs].reduce((t, d) => t + nodes.get(d)[field], 0);

/** The closure of one publishable package and its heaviest third-party parts. */
function weigh(pkgDir) {
  const rootNode = node(realpathSync(pkgDir));
  const closure = reach(rootNode.dir);
  closure.delete(rootNode.dir);
  // what only a package pulls in: the part of the closure that goes when it is blocked
  const parts = [...closure]
    .filter((dir) => !nodes.get(dir).workspace)
    .map((dir) => {
      const left = reach(rootNode.dir, dir);
      const only = [...closure].filter((d) => d !== dir && !left.has(d));
      return { dir, dominated: new Set([dir, ...only]) };
    });
  const heaviest = parts
    .filter(
      (p) => !parts.some((q) => q.dir !== p.dir && q.dominated.has(p.dir)),
    )
    .map((p) => ({
      name: nodes.get(p.dir).name,
      bytes: sum(p.dominated),
      diskBytes: sum(p.dominated, 'disk'),
    }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 3);
  return {
    name: rootNode.name,
    ownBytes: rootNode.bytes,
    closurePackages: closure.size,
    installBytes: rootNode.bytes + sum(closure),
    installDiskBytes: rootNode.disk + sum(closure, 'disk'),
    heaviest,
  };
}

const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
const kb = (bytes) => `${(bytes / 1e3).toFixed(0)} kB`;

const publishable = readdirSync(workspaceDir)
  .map((name) => join(workspaceDir, name))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .filter((dir) => !readJson(join(dir, 'package.json')).private)
  .sort();
const rows = publishable.map(weigh);

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  const table = [
    [
      'package',
      'own',
      'deps',
      'installed',
      'on disk',
      'heaviest dependencies (on disk)',
    ],
    ...rows.map((r) => [
      r.name,
      kb(r.ownBytes),
      String(r.closurePackages),
      mb(r.installBytes),
      mb(r.installDiskBytes),
      r.heaviest
        .map((h) => `${h.name} ${mb(h.bytes)} (${mb(h.diskBytes)})`)
        .join(', '),
    ]),
  ];
  const widths = table[0].map((_, i) =>
    Math.max(...table.map((row) => row[i].length)),
  );
  const line = (row) =>
    `| ${row.map((cell, i) => (i === 0 || i === 5 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ')} |`;
  console.log(line(table[0]));
  console.log(
    `| ${widths.map((w, i) => (i === 0 || i === 5 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`,
  );
  for (const row of table.slice(1)) console.log(line(row));
}
