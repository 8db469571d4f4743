import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const preset = JSON.parse(
  readFileSync(new URL('../default.json', import.meta.url), 'utf8'),
);
const manifest = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
);

/** Renovate's matchPackageNames glob, reduced to the two forms the preset uses. */
function matches(pattern, name) {
  if (pattern.endsWith('/**')) return name.startsWith(pattern.slice(0, -2));
  return pattern === name;
}

/**
 * The settings Renovate applies to an update of `name` of `updateType`: every matching rule
 * merged in order, a later rule winning (as Renovate merges packageRules).
 */
function settingsFor(name, updateType) {
  const merged = {};
  for (const rule of preset.packageRules) {
    const { matchPackageNames, matchUpdateTypes, ...settings } = rule;
    delete settings.description;
    if (!matchPackageNames.some((p) => matches(p, name))) continue;
    if (matchUpdateTypes && !matchUpdateTypes.includes(updateType)) continue;
    Object.assign(merged, settings);
  }
  return merged;
}

describe('@kenos/renovate-config', () => {
  it('groups every @kenos/* package into one pull request', () => {
    const names = ['@kenos/logger', '@kenos/server', '@kenos/renovate-config'];
    expect(names.map((n) => settingsFor(n, 'minor').groupSlug)).toEqual([
      'kenos',
      'kenos',
      'kenos',
    ]);
  });

  it('does not touch packages outside the @kenos scope', () => {
    expect(settingsFor('@kenosx/logger', 'minor')).toEqual({});
    expect(settingsFor('pino', 'major')).toEqual({});
  });

  it('titles the pull request with the platform version', () => {
    const group = settingsFor('@kenos/server', 'minor');
    expect(group.groupName).toBe('Kenos platform SDK');
    expect(group.commitMessageAction).toBe('');
    for (const topic of [group, group.group]) {
      expect(topic.commitMessageTopic).toBe('Kenos platform SDK');
      expect(topic.commitMessageExtra).toBe('v{{{newVersion}}}');
    }
  });

  it('links the GitHub release of the new version in the pull request body', () => {
    expect(settingsFor('@kenos/server', 'patch').prBodyNotes).toEqual([
      expect.stringContaining(
        'https://github.com/kenos-platform/kenos/releases/tag/v{{{newVersion}}}',
      ),
    ]);
  });

  it('pins exact versions and proposes a release as soon as it is published', () => {
    const settings = settingsFor('@kenos/server', 'patch');
    expect(settings.rangeStrategy).toBe('pin');
    expect(settings.minimumReleaseAge).toBe('0 days');
  });

  it('automerges minor and patch upgrades through the platform, once required checks pass', () => {
    for (const updateType of ['minor', 'patch'])
      expect(settingsFor('@kenos/config', updateType)).toMatchObject({
        automerge: true,
        automergeType: 'pr',
        platformAutomerge: true,
      });
  });

  it('leaves a major upgrade to a person, in its own labelled pull request', () => {
    const major = settingsFor('@kenos/config', 'major');
    expect(major.automerge).toBe(false);
    expect(major.labels).toEqual(['kenos-major', 'breaking']);
    expect(major.separateMajorMinor).toBe(true);
  });

  it('is published as the package default export and is the repository preset file', () => {
    expect(manifest.exports['.']).toBe('./default.json');
    expect(manifest.files).toContain('default.json');
  });
});
