// The packages as they would be published at a prerelease version, made from the tarballs `npm
// pack` wrote: nothing in the repository (working tree or git history) is changed.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The dependency fields whose `@kenos/*` ranges are pinned to the prerelease version. */
const DEPENDENCY_FIELDS = [
  'dependencies',
  'devDependencies',
  'peerDependencies',
  'optionalDependencies',
];

/** A version no release will ever have: `0.0.0-e2e.<milliseconds since the epoch>`. */
export function prereleaseVersion(now = Date.now()) {
  return `0.0.0-e2e.${now}`;
}

/**
 * A copy of the package.json `manifest` at `version`, with every `@kenos/*` dependency (in every
 * dependency field) pinned to exactly that version, as a release of all packages at once sets it.
 */
export function withVersion(manifest, version) {
  const out = structuredClone(manifest);
  out.version = version;
  for (const field of DEPENDENCY_FIELDS)
    for (const name of Object.keys(out[field] ?? {}))
      if (name.startsWith('@kenos/')) out[field][name] = version;
  return out;
}

/**
 * Extracts the tarball of `npm pack` into `dest/package` and sets its package.json to `version`
 * (see {@link withVersion}); resolves with that directory, ready for `npm publish <dir>`.
 */
export function unpackAtVersion(tarball, version, dest) {
  mkdirSync(dest, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', dest], { stdio: 'pipe' });
  const dir = join(dest, 'package');
  const manifestFile = join(dir, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  writeFileSync(
    manifestFile,
    `${JSON.stringify(withVersion(manifest, version), null, 2)}\n`,
  );
  return dir;
}
