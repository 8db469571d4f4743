import { describe, expect, it } from 'vitest';
import { compareVersions, releaseKind } from './git.mjs';

describe('release versions', () => {
  it('orders prereleases by semver precedence, numeric identifiers as numbers', () => {
    expect(compareVersions('1.0.0-rc.10', '1.0.0-rc.9')).toBeGreaterThan(0);
    expect(compareVersions('1.0.0-rc.1', '1.0.0')).toBeLessThan(0);
    expect(compareVersions('1.2.0', '1.10.0')).toBeLessThan(0);
  });

  it('names the kind of release between two versions', () => {
    expect(releaseKind('1.4.2', '2.0.0')).toBe('major');
    expect(releaseKind('1.4.2', '1.5.0')).toBe('minor');
    expect(releaseKind('1.4.2', '1.4.3')).toBe('patch');
    expect(releaseKind('1.4.2', '1.4.2')).toBe('none');
  });
});
