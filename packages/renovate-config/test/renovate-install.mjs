// Renovate for the checks that run it: these tests, and tools/renovate-e2e, which runs this file
// as a script (`node renovate-install.mjs` installs and prints the paths as JSON). It is installed
// on first use into the user's cache directory ($XDG_CACHE_HOME or ~/.cache, kept across
// `npm ci`), not into the workspace: it is large (about 360 MB) and would make every `npm ci`
// about a minute slower. Its install scripts are skipped (--ignore-scripts): the only one builds
// the optional `re2` engine (from source, minutes, here), without which Renovate uses RegExp.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The Renovate version the preset is checked with (Renovate needs Node.js 24). */
export const RENOVATE_VERSION = '44.121.2';

/** Where {@link ensureRenovate} installs Renovate `version`. */
export function renovateDir(version = RENOVATE_VERSION) {
  return join(
    process.env.XDG_CACHE_HOME || join(homedir(), '.cache'),
    'kenos-renovate',
    version,
  );
}

/**
 * Installs `renovate@version` into {@link renovateDir} unless it is there (into a temporary
 * directory first, renamed when complete, so that a broken install is never used), and returns
 * the entry points `{ dir, renovate, validator }`, to run with `process.execPath`.
 */
export function ensureRenovate(version = RENOVATE_VERSION) {
  const dir = renovateDir(version);
  const paths = {
    dir,
    renovate: join(dir, 'node_modules/renovate/dist/renovate.js'),
    validator: join(dir, 'node_modules/renovate/dist/config-validator.js'),
  };
  if (existsSync(paths.renovate)) return paths;
  const parent = join(dir, '..');
  mkdirSync(parent, { recursive: true });
  const tmp = mkdtempSync(join(parent, `.${version}-`));
  try {
    writeFileSync(join(tmp, 'package.json'), '{ "private": true }\n');
    execFileSync(
      'npm',
      [
        'install',
        `renovate@${version}`,
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        '--no-package-lock',
        '--loglevel=error',
      ],
      { cwd: tmp, stdio: 'pipe', timeout: 10 * 60_000 },
    );
    if (!existsSync(paths.renovate)) renameSync(tmp, dir);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return paths;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  console.log(JSON.stringify(ensureRenovate()));
