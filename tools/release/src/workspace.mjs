// The npm workspace a release works on: its manifests, the release group's packages, the @kenos/*
// ranges of the workspace projects outside the group (examples, tools) and the lock file entries
// of the workspace projects. Nx release versions the group's own manifests; this module keeps the
// rest of the workspace installable at the new version, with no network (no npm install).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const DEPENDENCY_FIELDS = [
  'dependencies',
  'devDependencies',
  'peerDependencies',
  'optionalDependencies',
];

/**
 * The repository root the release works on: the current directory (as for Nx), which must hold
 * nx.json and the workspace package.json (`npm run release` runs there).
 */
export function workspaceRoot() {
  const root = process.cwd();
  if (
    !existsSync(join(root, 'nx.json')) ||
    !existsSync(join(root, 'package.json'))
  )
    throw new Error(
      `${root} is not the repository root (no nx.json): run the release from the root, e.g. with npm run release`,
    );
  return root;
}

/** The manifests of the npm workspaces of `root` (`packages/*`, `examples/*`, `tools/*`). */
export function workspaceManifests(root) {
  const { workspaces = [] } = JSON.parse(
    readFileSync(join(root, 'package.json'), 'utf8'),
  );
  const dirs = workspaces.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    const parent = pattern.slice(0, -2);
    return readdirSync(join(root, parent), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => `${parent}/${e.name}`);
  });
  return dirs
    .filter((dir) => existsSync(join(root, dir, 'package.json')))
    .sort()
    .map((dir) => {
      const path = `${dir}/package.json`;
      const json = JSON.parse(readFileSync(join(root, path), 'utf8'));
      return { dir, path, json, project: json.nx?.name ?? json.name };
    });
}

/**
 * The manifests of the release group, given the Nx project names Nx versioned. Fails unless the
 * group is exactly the packages/* that are not private: a private package would fail to publish,
 * and a public one outside the group would be left behind at an old version.
 */
export function releaseGroupManifests(manifests, projectNames) {
  const names = new Set(projectNames);
  const group = manifests.filter((m) => names.has(m.project));
  const publishable = manifests.filter(
    (m) => m.dir.startsWith('packages/') && m.json.private !== true,
  );
  const missing = publishable
    .filter((m) => !names.has(m.project))
    .map((m) => m.dir);
  const extra = group.filter((m) => !publishable.includes(m)).map((m) => m.dir);
  const unknown = projectNames.filter(
    (n) => !group.some((m) => m.project === n),
  );
  if (missing.length || extra.length || unknown.length)
    throw new Error(
      'the release group of nx.json is not the set of publishable packages (packages/* without "private": true): ' +
        [
          missing.length && `not in the group: ${missing.join(', ')}`,
          extra.length && `private or outside packages/: ${extra.join(', ')}`,
          unknown.length && `not a workspace package: ${unknown.join(', ')}`,
        ]
          .filter(Boolean)
          .join('; '),
    );
  return group;
}

/** `range` moved to `version`, keeping its `^`, `~` or exact form. */
function movedRange(range, version) {
  const prefix = /^[\^~]/.exec(range)?.[0] ?? '';
  return `${prefix}${version}`;
}

/**
 * Moves the @kenos/* ranges on the group's packages in the workspace manifests outside the group
 * (examples/*, tools/*) to `version`, keeping each range's form (`1.2.0` stays exact, `^1.2.0`
 * stays a caret range). With `write: false` only reports. Returns `[{ path, name, from, to }]`.
 */
export function moveWorkspaceRanges(
  root,
  { manifests, group, version, write },
) {
  const groupNames = new Set(group.map((m) => m.json.name));
  const moves = [];
  for (const manifest of manifests.filter((m) => !group.includes(m))) {
    let text = readFileSync(join(root, manifest.path), 'utf8');
    const before = text;
    for (const field of DEPENDENCY_FIELDS) {
      for (const [name, range] of Object.entries(manifest.json[field] ?? {})) {
        if (!groupNames.has(name) || /^(file|workspace|link):/.test(range))
          continue;
        const to = movedRange(range, version);
        if (to === range) continue;
        moves.push({ path: manifest.path, name, from: range, to });
        text = text.replaceAll(`"${name}": "${range}"`, `"${name}": "${to}"`);
      }
    }
    if (write && text !== before)
      writeFileSync(join(root, manifest.path), text);
  }
  return moves;
}

/**
 * Brings the workspace entries of package-lock.json (`packages/x`, `examples/x`, `tools/x`) in line
 * with their manifests: version and @kenos/* dependency ranges. These are the only lock entries a
 * release changes (the workspace packages are links), so no npm install is needed. Reads the
 * manifests as they are now, after Nx and `moveWorkspaceRanges` wrote them. Returns whether the
 * lock file changed.
 */
export function syncLockfile(root) {
  const path = join(root, 'package-lock.json');
  if (!existsSync(path)) return false;
  const text = readFileSync(path, 'utf8');
  const lock = JSON.parse(text);
  for (const manifest of workspaceManifests(root)) {
    const entry = lock.packages?.[manifest.dir];
    if (entry === undefined) continue;
    if (manifest.json.version !== undefined)
      entry.version = manifest.json.version;
    for (const field of DEPENDENCY_FIELDS) {
      for (const [name, range] of Object.entries(manifest.json[field] ?? {})) {
        if (name.startsWith('@kenos/') && entry[field]?.[name] !== undefined)
          entry[field][name] = range;
      }
    }
  }
  const next = `${JSON.stringify(lock, null, 2)}\n`;
  if (next === text) return false;
  writeFileSync(path, next);
  return true;
}
