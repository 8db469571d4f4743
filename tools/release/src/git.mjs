// The git operations of a release, run in the repository the release works on: its release tags,
// a file as it was at a tag, a clean working tree, and the local commit and tag of a release.
import { execFileSync } from 'node:child_process';
import semver from 'semver';

/** The pattern of release tags (nx.json `release.releaseTag.pattern` is `v{version}`). */
export const RELEASE_TAG = /^v(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$/;

/** Runs git in `root` and returns its standard output, trimmed at the end. Throws with git's message. */
export function git(root, args, { allowFailure = false } = {}) {
  try {
    return execFileSync('git', args, {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    }).trimEnd();
  } catch (error) {
    if (allowFailure) return undefined;
    const stderr = error.stderr?.toString().trim();
    throw new Error(
      `git ${args.join(' ')} failed: ${stderr || error.message}`,
      {
        cause: error,
      },
    );
  }
}

/** The numeric parts of a version (`1.2.3` or `1.2.3-rc.1`), or undefined when it is no version. */
export function parseVersion(version) {
  const m = RELEASE_TAG.exec(`v${version}`);
  if (!m) return undefined;
  return {
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: Number(m[3]),
    prerelease: m[4],
  };
}

/** Negative, zero or positive as version `a` is below, equal to or above version `b` (semver precedence). */
export function compareVersions(a, b) {
  return semver.compare(a, b);
}

/** The kind of release from version `from` to version `to`: `major`, `minor`, `patch` or `none`. */
export function releaseKind(from, to) {
  const a = parseVersion(from);
  const b = parseVersion(to);
  if (compareVersions(to, from) <= 0) return 'none';
  if (b.major !== a.major) return 'major';
  if (b.minor !== a.minor) return 'minor';
  return 'patch';
}

/**
 * The newest release tag reachable from HEAD (`v1.2.3`), as `{ tag, version }`, or undefined
 * before the first release.
 */
export function lastReleaseTag(root) {
  const tags = git(root, ['tag', '--list', 'v*', '--merged', 'HEAD'])
    .split('\n')
    .filter((tag) => RELEASE_TAG.test(tag));
  if (tags.length === 0) return undefined;
  const versions = tags.map((tag) => tag.slice(1)).sort(compareVersions);
  const version = versions.at(-1);
  return { tag: `v${version}`, version };
}

/** Whether tag `tag` exists. */
export function tagExists(root, tag) {
  return (
    git(root, ['rev-parse', '--verify', '--quiet', `refs/tags/${tag}`], {
      allowFailure: true,
    }) !== undefined
  );
}

/** The paths git reports as changed or untracked (ignored files aside), one per entry. */
export function changedPaths(root) {
  return git(root, ['status', '--porcelain', '--untracked-files=all'])
    .split('\n')
    .filter(Boolean)
    .map((line) => line.slice(3));
}

/** The files under `dir` at `ref`, relative to the root. */
export function filesAt(root, ref, dir) {
  return git(root, ['ls-tree', '-r', '--name-only', ref, '--', dir])
    .split('\n')
    .filter(Boolean);
}

/** The text of `path` at `ref`. */
export function fileAt(root, ref, path) {
  return git(root, ['show', `${ref}:${path}`]);
}

/** Stages every change of the working tree, commits it with `message` and tags the commit `tag`. */
export function commitAndTag(root, { message, tag, tagMessage }) {
  git(root, ['add', '--all']);
  git(root, ['commit', '--quiet', '--message', message]);
  git(root, ['tag', '--annotate', tag, '--message', tagMessage]);
  return git(root, ['rev-parse', '--short', 'HEAD']);
}
