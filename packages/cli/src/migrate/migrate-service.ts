import {
  readdir,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CliError } from '../cli-error.js';
import { cliVersion } from '../cli-version.js';
import {
  matchesFiles,
  patternDirectories,
  type Migration,
} from './migration.js';
import { MIGRATIONS } from './migrations/index.js';
import { compareSemver, isSemver } from './semver-version.js';
import { unifiedDiff } from './unified-diff.js';

/** Options of {@link migrateService}. */
export interface MigrateServiceOptions {
  /** The service directory (holding its package.json). Relative to `cwd`. Default `.`. */
  readonly dir?: string;
  /** Base of a relative `dir`. Default `process.cwd()`. */
  readonly cwd?: string;
  /** The template version to migrate to. Default the version of `@kenos/cli`. */
  readonly to?: string;
  /** Compute the changes and their diff, write nothing. Default `false`. */
  readonly dryRun?: boolean;
  /** The migrations to choose from. Default the migrations shipped with `@kenos/cli`. */
  readonly migrations?: readonly Migration[];
}

/** One migration {@link migrateService} applied. */
export interface AppliedMigration {
  /** The migration's release version. */
  readonly version: string;
  /** The migration's id. */
  readonly id: string;
  /** Files it changed, `/`-separated and relative to the service, sorted. */
  readonly changed: readonly string[];
  /** Files it deleted (known old template files), sorted. */
  readonly deleted: readonly string[];
  /** What the service must still do by hand. */
  readonly manualSteps: readonly string[];
}

/** What {@link migrateService} did (or, with `dryRun`, would do). */
export interface MigrateServiceResult {
  /** Absolute path of the service directory. */
  readonly dir: string;
  /** `kenos.template` before. */
  readonly from: string;
  /** `kenos.template` after. */
  readonly to: string;
  /** The migrations applied, in version order. */
  readonly applied: readonly AppliedMigration[];
  /** Unified diff of every change, package.json included; empty when nothing changes. */
  readonly diff: string;
  /** Whether anything was (or would be) written. */
  readonly changed: boolean;
}

const inputError = (message: string, cause?: unknown): CliError =>
  new CliError('KENOS_ERR_CLI_INPUT', `kenos migrate: ${message}`, {
    ...(cause === undefined ? {} : { cause }),
  });

/** The service's package.json text, parsed object and `kenos.template`; input errors otherwise. */
async function readService(
  dir: string,
): Promise<{ text: string; pkg: Record<string, unknown>; from: string }> {
  const file = join(dir, 'package.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw inputError(
      `no package.json in ${dir}: not a service directory`,
      cause,
    );
  }
  let pkg: unknown;
  try {
    pkg = JSON.parse(text);
  } catch (cause) {
    throw inputError(`${file} is not valid JSON`, cause);
  }
  if (typeof pkg !== 'object' || pkg === null || Array.isArray(pkg))
    throw inputError(`${file} is not a JSON object`);
  const kenos = (pkg as Record<string, unknown>)['kenos'];
  const from =
    typeof kenos === 'object' && kenos !== null
      ? (kenos as Record<string, unknown>)['template']
      : undefined;
  if (from === undefined)
    throw inputError(
      `${file} has no "kenos": { "template": "<version>" }: set it to the Kenos version the service was generated from or last migrated to`,
    );
  if (typeof from !== 'string' || !isSemver(from))
    throw inputError(
      `"kenos.template" in ${file} is ${JSON.stringify(from)}, not a semantic version such as 1.0.0`,
    );
  return { text, pkg: pkg as Record<string, unknown>, from };
}

/** Every file under the service matching `patterns` (node_modules and .git skipped), sorted. */
async function matchingFiles(
  root: string,
  patterns: readonly string[],
): Promise<string[]> {
  const found = new Set<string>();
  for (const dir of patternDirectories(patterns)) {
    let entries;
    try {
      entries = await readdir(join(root, dir), {
        recursive: true,
        withFileTypes: true,
      });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const rel = join(entry.parentPath, entry.name)
        .slice(root.length + 1)
        .split(/[\\/]/)
        .join('/');
      if (rel === 'package.json' || /(^|\/)(node_modules|\.git)\//.test(rel))
        continue;
      if (matchesFiles(rel, patterns)) found.add(rel);
    }
  }
  return [...found].sort();
}

/** `text` of package.json with `kenos.template` set to `to`, nothing else changed. */
function setTemplateVersion(text: string, to: string): string {
  const field = /("template"\s*:\s*)"[^"]*"/;
  const kenosAt = text.search(/"kenos"\s*:\s*\{/);
  if (kenosAt !== -1) {
    const head = text.slice(0, kenosAt);
    const tail = text.slice(kenosAt);
    const replaced = tail.replace(field, `$1${JSON.stringify(to)}`);
    if (replaced !== tail) return head + replaced;
  }
  const pkg = JSON.parse(text) as { kenos: { template: string } };
  pkg.kenos.template = to;
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/**
 * Migrates the service in `options.dir` from its `kenos.template` version to `options.to`:
 * applies, in version order, every migration whose version is above the service's and at most
 * `to`, then sets `kenos.template` to `to` (nothing else in package.json). All or nothing: every
 * new content is computed before the first write. Refuses a directory without a package.json,
 * a missing or malformed `kenos.template` (`KENOS_ERR_CLI_INPUT`), a `to` below it or above
 * the version of this `@kenos/cli` (`KENOS_ERR_CLI_USAGE`).
 */
export async function migrateService(
  options: MigrateServiceOptions = {},
): Promise<MigrateServiceResult> {
  const dir = resolve(options.cwd ?? process.cwd(), options.dir ?? '.');
  const { text: pkgText, pkg, from } = await readService(dir);
  const cli = cliVersion();
  const to = options.to ?? cli;
  if (!isSemver(to))
    throw new CliError(
      'KENOS_ERR_CLI_USAGE',
      `kenos migrate: --to must be a semantic version such as 1.0.0, got '${to}'`,
    );
  if (compareSemver(to, from) < 0)
    throw new CliError(
      'KENOS_ERR_CLI_USAGE',
      `kenos migrate: the service is at template ${from}, above --to ${to}: migrations only go forward; nothing was written`,
    );
  // 0.0.0 is the unreleased CLI of the Kenos repository, which knows every migration written so far
  if (
    options.migrations === undefined &&
    cli !== '0.0.0' &&
    isSemver(cli) &&
    compareSemver(to, cli) > 0
  )
    throw new CliError(
      'KENOS_ERR_CLI_USAGE',
      `kenos migrate: this kenos is ${cli} and does not know the migrations of ${to}: run the kenos of ${to} (npx @kenos/cli@${to} migrate); nothing was written`,
    );
  const due = [...(options.migrations ?? MIGRATIONS)]
    .filter(
      (m) =>
        compareSemver(m.version, from) > 0 && compareSemver(m.version, to) <= 0,
    )
    .sort((a, b) => compareSemver(a.version, b.version));

  /** Current content of every file read: a string, or `null` once a migration deleted it. */
  const current = new Map<string, string | null>();
  const original = new Map<string, string>();
  const applied: AppliedMigration[] = [];
  for (const migration of due) {
    const paths = await matchingFiles(dir, migration.files);
    const changed: string[] = [];
    const deleted: string[] = [];
    const files = new Map<string, string>();
    for (const path of paths) {
      if (!current.has(path)) {
        const text = await readFile(join(dir, path), 'utf8');
        current.set(path, text);
        original.set(path, text);
      }
      const before = current.get(path);
      if (before === null || before === undefined) continue;
      const after = migration.transform(path, before);
      if (after === null) {
        current.set(path, null);
        deleted.push(path);
        continue;
      }
      if (after !== before) {
        current.set(path, after);
        changed.push(path);
      }
      files.set(path, after);
    }
    applied.push({
      version: migration.version,
      id: migration.id,
      changed,
      deleted,
      manualSteps: migration.manualSteps?.({ packageJson: pkg, files }) ?? [],
    });
  }

  const newPkgText =
    compareSemver(to, from) === 0 ? pkgText : setTemplateVersion(pkgText, to);
  const writes = new Map<string, string | null>();
  for (const [path, text] of current)
    if (text !== original.get(path)) writes.set(path, text);
  if (newPkgText !== pkgText) writes.set('package.json', newPkgText);
  const diff = [...writes.keys()]
    .sort()
    .map((path) =>
      unifiedDiff(
        path,
        path === 'package.json' ? pkgText : original.get(path),
        writes.get(path) ?? undefined,
      ),
    )
    .join('');

  if (options.dryRun !== true) await writeAll(dir, writes);
  return { dir, from, to, applied, diff, changed: writes.size > 0 };
}

/** Suffix of the files written next to their targets before they replace them. */
const TMP_SUFFIX = '.kenos-migrate-tmp';

/**
 * Writes every new content next to its file first, then renames each into place and deletes the
 * deleted files: a failed write leaves the service as it was.
 */
async function writeAll(
  dir: string,
  writes: ReadonlyMap<string, string | null>,
): Promise<void> {
  const staged: string[] = [];
  try {
    for (const [path, text] of writes)
      if (text !== null) {
        const target = join(dir, path);
        const mode = (await stat(target).catch(() => undefined))?.mode;
        await writeFile(`${target}${TMP_SUFFIX}`, text, {
          ...(mode === undefined ? {} : { mode: mode & 0o777 }),
        });
        staged.push(target);
      }
  } catch (cause) {
    for (const target of staged)
      await rm(`${target}${TMP_SUFFIX}`, { force: true });
    throw new CliError(
      'KENOS_ERR_CLI_OUTPUT',
      `kenos migrate: could not write the migrated files in ${dir}; nothing was changed`,
      { cause },
    );
  }
  for (const target of staged) await rename(`${target}${TMP_SUFFIX}`, target);
  for (const [path, text] of writes)
    if (text === null) await rm(join(dir, path), { force: true });
}
