// Temporary clones of this repository for the release tests: the release commits and tags, so it
// runs in a clone (`git clone --no-tags`), never in the repository itself; each test file has one
// clone, reset before each use. A clone shares the
// repository's node_modules through a symlink (ignored by git) and gets the working tree's
// nx.json, so the tests check the release config about to be committed.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository the tests run in. */
export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const SCRIPTS = join(REPO, 'tools/release/src');

/**
 * The environment of every git and release process of a test: a fixed identity, no global or
 * system git config (no signing, no hooks of the developer), and no Nx variables of the task that
 * runs the tests (NX_WORKSPACE_ROOT_PATH would point Nx at the repository instead of the clone).
 */
export const ENV = {
  PATH: [dirname(process.execPath), process.env.PATH ?? ''].join(':'),
  HOME: process.env.HOME ?? tmpdir(),
  LANG: 'C.UTF-8',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Release Test',
  GIT_AUTHOR_EMAIL: 'release-test@example.com',
  GIT_COMMITTER_NAME: 'Release Test',
  GIT_COMMITTER_EMAIL: 'release-test@example.com',
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NO_COLOR: '1',
};

/** Runs git in `dir`; returns its output, trimmed. */
export function git(dir, ...args) {
  return execFileSync('git', args, {
    cwd: dir,
    env: ENV,
    encoding: 'utf8',
  }).trim();
}

let clone;

/** Removes the clone of the test file (call in afterAll). */
export function removeClone() {
  if (clone) rmSync(clone.dir, { recursive: true, force: true });
  clone = undefined;
}

/**
 * A clone of the repository's HEAD without its tags, ready for `npm run release`. The first call
 * of a test file clones; later calls reset that clone to the state of the first call (no tag, no
 * commit of a test, no untracked file). Resetting keeps Nx's project graph cache of the clone
 * (.nx/workspace-data, ignored by git), which makes each release run a few seconds faster.
 */
export function freshClone() {
  if (clone) {
    git(clone.dir, 'reset', '--quiet', '--hard', clone.base);
    const tags = git(clone.dir, 'tag', '--list');
    if (tags) git(clone.dir, 'tag', '--delete', ...tags.split('\n'));
    git(clone.dir, 'clean', '-dfxq', '--exclude=node_modules', '--exclude=.nx');
    return clone.dir;
  }
  const dir = mkdtempSync(join(tmpdir(), 'kenos-release-test-'));
  execFileSync('git', ['clone', '--quiet', '--no-tags', REPO, dir], {
    env: ENV,
  });
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  const nxJson = readFileSync(join(REPO, 'nx.json'), 'utf8');
  if (readFileSync(join(dir, 'nx.json'), 'utf8') !== nxJson) {
    writeFileSync(join(dir, 'nx.json'), nxJson);
    commit(dir, 'build(release): the release config of the working tree');
  }
  clone = { dir, base: git(dir, 'rev-parse', 'HEAD') };
  return dir;
}

/** Writes `files` (path → text, or a function of the old text) in `dir` and commits them with `message`. */
export function commit(dir, message, files = {}) {
  for (const [path, content] of Object.entries(files)) {
    const file = join(dir, path);
    const old = existsSync(file) ? readFileSync(file, 'utf8') : '';
    writeFileSync(file, typeof content === 'function' ? content(old) : content);
  }
  git(dir, 'add', '--all');
  git(dir, 'commit', '--quiet', '--allow-empty', '--message', message);
  return git(dir, 'rev-parse', 'HEAD');
}

/** Runs a script of tools/release (`release.mjs`, `api-guard.mjs`) of this repository in `dir`. */
export function runScript(dir, script, args = []) {
  const r = spawnSync(process.execPath, [join(SCRIPTS, script), ...args], {
    cwd: dir,
    env: ENV,
    encoding: 'utf8',
    timeout: 100_000, // below the test timeout: a hanging release is killed, not waited for
  });
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    output: r.stdout + r.stderr,
  };
}

/** The parsed JSON file `path` of `dir`. */
export function readJson(dir, path) {
  return JSON.parse(readFileSync(join(dir, path), 'utf8'));
}
