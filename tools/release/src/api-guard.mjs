#!/usr/bin/env node
// The API guard of a release: compares every package's committed API reports
// (packages/*/api/*.api.md) at the last release tag with the working tree and fails when the next
// version is too small for what changed. A removed export or a changed signature needs a major
// release (a minor one on 0.x); an added export, or an interface that only gained optional
// members, needs a minor release (a patch on 0.x).
//
//   node tools/release/src/api-guard.mjs [--version X]      (from the repository root)
//
// Without --version it checks the version `npm run release` would make (from the Conventional
// Commits since the last tag). Exits 1 when the check fails, 0 otherwise; writes nothing.
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { compareApiReports, parseApiReport } from './api-report.mjs';
import {
  fileAt,
  filesAt,
  lastReleaseTag,
  parseVersion,
  releaseKind,
} from './git.mjs';
import { workspaceRoot } from './workspace.mjs';

/** An API report of a package: `packages/<dir>/api/<name>.api.md`. */
const REPORT_PATH = /^packages\/[^/]+\/api\/[^/]+\.api\.md$/;
const RANK = { none: 0, patch: 1, minor: 2, major: 3 };
const BREAKING = new Set(['removed', 'changed']);

/** The API reports at git `ref`, as a map from path to text. */
function reportsAt(root, ref) {
  const paths = filesAt(root, ref, 'packages').filter((p) =>
    REPORT_PATH.test(p),
  );
  return new Map(paths.map((path) => [path, fileAt(root, ref, path)]));
}

/** The API reports of the working tree, as a map from path to text. */
function reportsInWorkingTree(root) {
  const reports = new Map();
  for (const dir of readdirSync(join(root, 'packages'))) {
    const apiDir = join(root, 'packages', dir, 'api');
    if (!existsSync(apiDir)) continue;
    for (const name of readdirSync(apiDir).filter((n) => n.endsWith('.api.md')))
      reports.set(
        `packages/${dir}/api/${name}`,
        readFileSync(join(apiDir, name), 'utf8'),
      );
  }
  return reports;
}

/**
 * Every API change between git `ref` and the working tree, as `{ packageName, file, symbol, change }`
 * (see `compareApiReports`). A report that appeared or disappeared (a new or removed entry point)
 * adds or removes all of its symbols.
 */
export function apiChanges(root, ref) {
  const before = reportsAt(root, ref);
  const after = reportsInWorkingTree(root);
  const empty = { packageName: undefined, symbols: new Map() };
  const changes = [];
  for (const file of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const old = before.has(file) ? parseApiReport(before.get(file)) : empty;
    const now = after.has(file) ? parseApiReport(after.get(file)) : empty;
    const packageName =
      now.packageName ??
      old.packageName ??
      file.split('/').slice(0, 2).join('/');
    for (const change of compareApiReports(old, now))
      changes.push({ packageName, file, ...change });
  }
  return changes;
}

/** The smallest release that may ship `changes` after version `lastVersion`. */
export function requiredRelease(changes, lastVersion) {
  const zero = parseVersion(lastVersion).major === 0;
  if (changes.some((c) => BREAKING.has(c.change)))
    return zero ? 'minor' : 'major';
  if (changes.length > 0) return zero ? 'patch' : 'minor';
  return 'none';
}

/** One line per change: package, report, symbol and what happened to it. */
export function formatApiChanges(changes) {
  return changes.map(
    (c) =>
      `  ${c.packageName} ${c.file}: ${c.symbol} ${c.change}${BREAKING.has(c.change) ? ' (breaking)' : ''}`,
  );
}

/**
 * Checks the next version against the API changes since the last release tag. Returns
 * `{ ok, changes, lines }`: `lines` say what was compared and why the check passes or fails.
 * With no release tag there is nothing to compare and the check passes.
 */
export function checkApi({ root, last, nextVersion }) {
  if (last === undefined)
    return {
      ok: true,
      changes: [],
      lines: [
        'API guard: no release tag (v*) yet, so there are no released API reports to compare with: passes.',
      ],
    };
  const changes = apiChanges(root, last.tag);
  const required = requiredRelease(changes, last.version);
  const actual = releaseKind(last.version, nextVersion);
  if (changes.length === 0)
    return {
      ok: true,
      changes,
      lines: [
        `API guard: the API reports are unchanged since ${last.tag}: passes.`,
      ],
    };
  if (RANK[actual] >= RANK[required])
    return {
      ok: true,
      changes,
      lines: [
        `API guard: the API changes since ${last.tag} need at least a ${required} release; ${nextVersion} is a ${actual} release: passes.`,
        ...formatApiChanges(changes),
      ],
    };
  const zero = parseVersion(last.version).major === 0;
  return {
    ok: false,
    changes,
    lines: [
      `API guard: ${nextVersion} is a ${actual} release, but the API changes since ${last.tag} need a ${required} release:`,
      ...formatApiChanges(changes),
      required === (zero ? 'minor' : 'major')
        ? `A removed export or a changed signature is a breaking change: mark the commit that makes it as breaking ` +
          `("feat(<scope>)!: …" or a "BREAKING CHANGE:" footer) so that the release is a ${required} one, or restore the API.`
        : `A new export is a feature: commit it as "feat(<scope>): …" so that the release is a ${required} one.`,
    ],
  };
}

async function main() {
  const { values } = parseArgs({
    options: { version: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) {
    console.log('usage: node tools/release/src/api-guard.mjs [--version X]');
    return 0;
  }
  const root = workspaceRoot();
  const last = lastReleaseTag(root);
  let nextVersion = values.version;
  if (last !== undefined && nextVersion === undefined) {
    const { planRelease } = await import('./plan-release.mjs');
    nextVersion = (await planRelease({ root })).nextVersion;
    if (nextVersion === undefined) {
      console.log(
        `API guard: no commit since ${last.tag} makes a release; comparing the API as if the next release were a patch.`,
      );
      const v = parseVersion(last.version);
      nextVersion = `${v.major}.${v.minor}.${v.patch + 1}`;
    }
  }
  const result = checkApi({ root, last, nextVersion });
  for (const line of result.lines)
    (result.ok ? console.log : console.error)(line);
  return result.ok ? 0 : 1;
}

if (
  process.argv[1] &&
  realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)
)
  process.exitCode = await main();
