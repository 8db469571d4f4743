import semver from 'semver';

/** Whether `text` is exactly a semantic version (`1.4.0`, `2.0.0-rc.1`; no `v`, no range). */
export function isSemver(text: string): boolean {
  return /^\d/.test(text) && semver.parse(text) !== null;
}

/**
 * Semantic version precedence (the `semver` package npm itself uses): -1, 0 or 1 as `a` is
 * below, equal to or above `b` (`1.0.0-rc.1` < `1.0.0` < `1.0.1`). Throws on a non-version.
 */
export function compareSemver(a: string, b: string): number {
  return semver.compare(a, b);
}
