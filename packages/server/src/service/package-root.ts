import { readFileSync, statSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ServerError } from '../server-error.js';

/** The package a service runs from: its directory and the `version` of its package.json. */
export interface PackageRoot {
  /** Absolute directory holding the package.json. */
  readonly dir: string;
  /** The package.json's `version`, if it has a non-empty string one. */
  readonly version: string | undefined;
}

function startPath(from: string | URL): string {
  const text = String(from);
  if (from instanceof URL || text.startsWith('file:')) {
    try {
      return fileURLToPath(from);
    } catch (err) {
      throw new ServerError(
        'KENOS_ERR_SERVER_NO_PACKAGE_ROOT',
        `root ${text} is neither a file: URL nor a path`,
        { cause: err },
      );
    }
  }
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(text))
    throw new ServerError(
      'KENOS_ERR_SERVER_NO_PACKAGE_ROOT',
      `root ${text} is neither a file: URL nor a path`,
    );
  return resolve(text);
}

/**
 * The nearest directory at or above `from` (a module's `import.meta.url`, a `file:` URL or a path; a
 * file starts the walk at its directory) that holds a package.json. A few `stat` calls, no reads
 * beyond the one package.json. Throws `KENOS_ERR_SERVER_NO_PACKAGE_ROOT` when there is none up to the
 * filesystem root, or when the one found is not valid JSON.
 */
export function findPackageRoot(from: string | URL): PackageRoot {
  const start = startPath(from);
  const first = statOf(start)?.isDirectory() ? start : dirname(start);
  for (let dir = first; ; ) {
    const file = join(dir, 'package.json');
    if (statOf(file)?.isFile()) return { dir, version: readVersion(file) };
    const parent = dirname(dir);
    if (parent === dir)
      throw new ServerError(
        'KENOS_ERR_SERVER_NO_PACKAGE_ROOT',
        `root ${String(from)}: no package.json in ${first} or any directory above it`,
      );
    dir = parent;
  }
}

/** The entry's stat, `undefined` when it cannot be seen (missing, not a directory on the way, no permission). */
function statOf(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function readVersion(file: string): string | undefined {
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ServerError(
      'KENOS_ERR_SERVER_NO_PACKAGE_ROOT',
      `${file} (the package root's package.json) is not readable JSON: ${(err as Error).message}`,
      { cause: err },
    );
  }
  const version = (manifest as { version?: unknown } | null)?.version;
  return typeof version === 'string' && version !== '' ? version : undefined;
}
