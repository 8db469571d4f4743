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

describe('@kenos/renovate-config', () => {
  it('groups every @kenos/* package into one pull request', () => {
    const names = ['@kenos/logger', '@kenos/server', '@kenos/renovate-config'];
    const groups = names.map((n) =>
      preset.packageRules
        .filter((r) => r.matchPackageNames.some((p) => matches(p, n)))
        .map((r) => r.groupSlug),
    );
    expect(groups).toEqual([['kenos'], ['kenos'], ['kenos']]);
  });

  it('does not group packages outside the @kenos scope', () => {
    const rule = preset.packageRules[0];
    expect(
      rule.matchPackageNames.some((p) => matches(p, '@kenosx/logger')),
    ).toBe(false);
    expect(rule.matchPackageNames.some((p) => matches(p, 'pino'))).toBe(false);
  });

  it('is published as the package default export that Renovate looks up', () => {
    expect(manifest.exports['.']).toBe('./default.json');
    expect(manifest.files).toContain('default.json');
  });
});
