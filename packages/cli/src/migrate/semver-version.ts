/** A parsed semantic version `MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]`. */
interface SemverParts {
  readonly core: readonly [number, number, number];
  readonly prerelease: readonly string[];
}

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*)?$/;

/** Whether `text` is a semantic version (`1.4.0`, `2.0.0-rc.1`; no `v`, no range). */
export function isSemver(text: string): boolean {
  return SEMVER.test(text);
}

function parse(text: string): SemverParts {
  const m = SEMVER.exec(text);
  if (m === null) throw new TypeError(`not a semantic version: '${text}'`);
  return {
    core: [Number(m[1]), Number(m[2]), Number(m[3])],
    prerelease: m[4] === undefined ? [] : m[4].split('.'),
  };
}

function compareIdentifiers(a: string, b: string): number {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) return Math.sign(Number(a) - Number(b));
  if (an) return -1;
  if (bn) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Semantic version precedence: -1, 0 or 1 as `a` is below, equal to or above `b`
 * (`1.0.0-rc.1` < `1.0.0` < `1.0.1`; build metadata is ignored). Throws on a non-version.
 */
export function compareSemver(a: string, b: string): number {
  const pa = parse(a);
  const pb = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = Math.sign((pa.core[i] as number) - (pb.core[i] as number));
    if (d !== 0) return d;
  }
  if (pa.prerelease.length === 0 || pb.prerelease.length === 0)
    return pa.prerelease.length === pb.prerelease.length
      ? 0
      : pa.prerelease.length === 0
        ? 1
        : -1;
  for (
    let i = 0;
    i < Math.max(pa.prerelease.length, pb.prerelease.length);
    i++
  ) {
    const x = pa.prerelease[i];
    const y = pb.prerelease[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const d = compareIdentifiers(x, y);
    if (d !== 0) return d;
  }
  return 0;
}
