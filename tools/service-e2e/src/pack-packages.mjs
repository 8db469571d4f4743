// Packs every publishable @kenos package of the repository as `npm publish` would upload it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The publishable packages of `root`: every packages/* whose package.json is not private. */
export function publishablePackages(root) {
  return readdirSync(join(root, 'packages'), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => join(root, 'packages', e.name))
    .map((dir) => ({
      dir,
      manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')),
    }))
    .filter(({ manifest }) => manifest.private !== true);
}

/** `npm pack` of every publishable package into `dest`: `{ name, version, file, files }` each. */
export function packPackages(root, dest) {
  mkdirSync(dest, { recursive: true });
  return publishablePackages(root).map(({ dir, manifest }) => {
    // a package packed before its build would install without code: refuse it here, by name
    if (manifest.types && !existsSync(join(dir, manifest.types)))
      throw new Error(
        `${manifest.name} is not built (${manifest.types} is missing): add it to the ` +
          'implicitDependencies of the project that packs it',
      );
    const [report] = JSON.parse(
      execFileSync(
        'npm',
        ['pack', '--json', '--ignore-scripts', '--pack-destination', dest],
        { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      ),
    );
    return {
      name: report.name,
      version: report.version,
      file: join(dest, report.filename),
      files: report.files.map((f) => f.path),
    };
  });
}

/**
 * Points every `@kenos/*` dependency of the service's package.json at the tarballs, in
 * `dependencies`, `devDependencies` and `overrides` (so that no transitive `@kenos/*` comes from
 * anywhere else either).
 */
export function useTarballs(manifest, tarballs) {
  const spec = Object.fromEntries(
    tarballs.map((t) => [t.name, `file:${t.file}`]),
  );
  const out = structuredClone(manifest);
  for (const field of ['dependencies', 'devDependencies'])
    for (const name of Object.keys(out[field] ?? {}))
      if (name.startsWith('@kenos/')) {
        if (spec[name] === undefined)
          throw new Error(
            `${name} is not a publishable package of this repository`,
          );
        out[field][name] = spec[name];
      }
  out.overrides = { ...(out.overrides ?? {}), ...spec };
  return out;
}
