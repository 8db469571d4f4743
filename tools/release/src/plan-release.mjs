// The version Nx release would make next, computed without writing anything: `releaseVersion` of
// the programmatic API in dry-run mode, over the release group of nx.json.
import { lastReleaseTag } from './git.mjs';
import { quietly } from './quietly.mjs';

/**
 * The first version of the Kenos packages, taken when the repository has no release tag yet and no
 * --version is given (docs/releasing.md, "The first version"). Later versions come from the
 * Conventional Commits since the last tag.
 */
export const FIRST_VERSION = '1.0.0';

/**
 * Loads Nx's release API for the workspace at `root`, with no daemon and no Nx Cloud: a release
 * talks to no server. The workspace root is set explicitly, so that an Nx variable inherited from
 * an Nx task cannot point the release at another workspace. Nx's plugins load once, in this
 * process: a release builds the project graph three times, and isolated plugin workers would
 * start again for each.
 */
export async function nxRelease(root) {
  process.env.NX_WORKSPACE_ROOT_PATH = root;
  process.env.NX_DAEMON ??= 'false';
  process.env.NX_ISOLATE_PLUGINS ??= 'false';
  process.env.NX_NO_CLOUD = 'true';
  process.env.NX_TUI = 'false';
  return import('nx/release');
}

/** The options every call of Nx release gets: git is left to the release script. */
export const NO_GIT = {
  gitCommit: false,
  gitTag: false,
  gitPush: false,
  stageChanges: false,
};

/**
 * Plans the next release: `{ last, firstRelease, nextVersion, versionResult }`. `last` is the last
 * release tag (`{ tag, version }`, undefined before the first release), `nextVersion` the version
 * Nx computes (undefined when no commit since `last` makes a release), `versionResult` what
 * `releaseVersion` returned. `version` overrides the computed version (a version or a bump
 * keyword such as `major`).
 */
export async function planRelease({ root, version, verbose = false }) {
  const last = lastReleaseTag(root);
  const firstRelease = last === undefined;
  const specifier = version ?? (firstRelease ? FIRST_VERSION : undefined);
  const { releaseVersion } = await nxRelease(root);
  const versionResult = await quietly(
    () =>
      releaseVersion({
        ...NO_GIT,
        dryRun: true,
        specifier,
        firstRelease,
        verbose,
      }),
    { verbose },
  );
  return {
    last,
    firstRelease,
    nextVersion: versionResult.workspaceVersion ?? undefined,
    versionResult,
  };
}
