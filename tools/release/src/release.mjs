#!/usr/bin/env node
// Cuts a Kenos release on the local repository with Nx release's programmatic API: one version for
// every @kenos/* package (the fixed group of nx.json), changelogs, release notes for GitHub, one
// commit and one tag. It talks to no server: publishing (`npx nx release publish`), pushing and
// the GitHub release are separate steps (docs/releasing.md).
//
//   npm run release -- [--dry-run] [--version X] [--verbose]
import { mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkApi } from './api-guard.mjs';
import {
  changedPaths,
  commitAndTag,
  compareVersions,
  tagExists,
} from './git.mjs';
import { NO_GIT, nxRelease, planRelease } from './plan-release.mjs';
import { quietly } from './quietly.mjs';
import { renderReleaseNotes } from './release-notes.mjs';
import {
  moveWorkspaceRanges,
  releaseGroupManifests,
  syncLockfile,
  workspaceManifests,
  workspaceRoot,
} from './workspace.mjs';

const USAGE = `usage: npm run release -- [--dry-run] [--version X] [--verbose]

  --dry-run    print the next version, the API check, the changelog entry and the release notes;
               write, commit and tag nothing
  --version X  release version X (or a bump: major, minor, patch) instead of the one computed
               from the Conventional Commits since the last release tag
  --verbose    also print Nx release's own log and file diffs`;

/** Where the release notes of version `version` are written, relative to the root (dist/ is ignored by git). */
export const notesPath = (version) =>
  `dist/release/release-notes-v${version}.md`;

/** The commit and tag messages of nx.json `release.git`, for version `version`. */
function gitMessages(root, version) {
  const git =
    JSON.parse(readFileSync(join(root, 'nx.json'), 'utf8')).release?.git ?? {};
  const fill = (pattern) => pattern.replaceAll('{version}', version);
  return {
    message: fill(git.commitMessage ?? 'chore(release): v{version}'),
    tagMessage: fill(git.tagMessage ?? 'v{version}'),
  };
}

/** Runs Nx release's changelog step for `version` over the result of its version step. */
async function changelogEntry({
  root,
  versionResult,
  version,
  firstRelease,
  dryRun,
  verbose,
}) {
  const { releaseChangelog } = await nxRelease(root);
  const result = await quietly(
    () =>
      releaseChangelog({
        ...NO_GIT,
        version,
        versionData: versionResult.projectsVersionData,
        releaseGraph: versionResult.releaseGraph,
        firstRelease,
        createRelease: false,
        dryRun,
        verbose,
      }),
    { verbose },
  );
  return result.workspaceChangelog?.contents ?? '';
}

async function release(options) {
  const { dryRun, verbose } = options;
  const root = workspaceRoot();
  if (!dryRun) {
    const dirty = changedPaths(root);
    if (dirty.length > 0)
      throw new Error(
        `the working tree has uncommitted changes (${dirty.slice(0, 5).join(', ')}${dirty.length > 5 ? ', …' : ''}): ` +
          'a release commits only its own changes; commit or discard them first',
      );
  }
  const plan = await planRelease({ root, version: options.version, verbose });
  const { last, firstRelease, nextVersion: version, versionResult } = plan;
  if (version === undefined) {
    console.log(
      `No release: no commit since ${last.tag} makes one (a feat, fix or perf commit on a package, or a breaking change). ` +
        'Pass --version to release anyway.',
    );
    return 0;
  }
  const tag = `v${version}`;
  if (tagExists(root, tag)) throw new Error(`tag ${tag} exists already`);
  if (last !== undefined && compareVersions(version, last.version) <= 0)
    throw new Error(
      `version ${version} is not above the last release, ${last.tag}`,
    );
  const manifests = workspaceManifests(root);
  const group = releaseGroupManifests(
    manifests,
    Object.keys(versionResult.projectsVersionData),
  );

  console.log(
    dryRun
      ? 'Kenos release, dry run: nothing is written, committed or tagged.\n'
      : '',
  );
  console.log(
    `Last release: ${last ? last.tag : 'none (this is the first release)'}`,
  );
  console.log(`Next version: ${version} (tag ${tag})`);
  console.log(`Packages: ${group.map((m) => m.json.name).join(', ')}`);
  const guard = checkApi({ root, last, nextVersion: version });
  for (const line of guard.lines)
    (guard.ok ? console.log : console.error)(line);
  if (!guard.ok) {
    console.error(`\nNo release: nothing was written.`);
    return 1;
  }

  if (dryRun) {
    const changelog = await changelogEntry({
      root,
      versionResult,
      version,
      firstRelease,
      dryRun,
      verbose,
    });
    const notes = renderReleaseNotes({
      version,
      last,
      changelog,
      packages: group.map((m) => m.json),
      apiChanges: guard.changes,
    });
    const moves = moveWorkspaceRanges(root, {
      manifests,
      group,
      version,
      write: false,
    });
    console.log(
      `\n--- CHANGELOG.md, new entry (each package's CHANGELOG.md gets those that touch it) ---\n\n${changelog}\n`,
    );
    console.log(
      `--- Release notes (a release writes them to ${notesPath(version)}) ---\n\n${notes}`,
    );
    console.log(
      [
        `--- A release would ---`,
        `- set version ${version} and exact @kenos/* dependencies of ${version} in the package.json of ${group.length} packages`,
        ...moves.map(
          (m) => `- move ${m.name} from ${m.from} to ${m.to} in ${m.path}`,
        ),
        '- update the workspace entries of package-lock.json',
        '- add the entry above to CHANGELOG.md and to packages/*/CHANGELOG.md',
        `- commit "${gitMessages(root, version).message}" and tag it ${tag} (no push)`,
      ].join('\n'),
    );
    return 0;
  }

  try {
    const { releaseVersion } = await nxRelease(root);
    const written = await quietly(
      () =>
        releaseVersion({
          ...NO_GIT,
          dryRun: false,
          specifier: version,
          firstRelease,
          verbose,
        }),
      { verbose },
    );
    if (written.workspaceVersion !== version)
      throw new Error(
        `Nx wrote version ${written.workspaceVersion}, not the planned ${version}`,
      );
    moveWorkspaceRanges(root, { manifests, group, version, write: true });
    syncLockfile(root);
    const changelog = await changelogEntry({
      root,
      versionResult: written,
      version,
      firstRelease,
      dryRun: false,
      verbose,
    });
    const notes = renderReleaseNotes({
      version,
      last,
      changelog,
      packages: group.map((m) => m.json),
      apiChanges: guard.changes,
    });
    mkdirSync(join(root, 'dist/release'), { recursive: true });
    writeFileSync(join(root, notesPath(version)), notes);
    const commit = commitAndTag(root, { tag, ...gitMessages(root, version) });
    console.log(
      `\nReleased ${tag} locally: commit ${commit}, tag ${tag}. Nothing was pushed or published.`,
    );
    console.log(`Release notes: ${notesPath(version)}\n`);
    console.log(
      [
        'Next steps (docs/releasing.md):',
        '  git push --follow-tags origin HEAD',
        '  npm run build && npx nx release publish',
        `  gh release create ${tag} --title "Kenos ${tag}" -F ${notesPath(version)}`,
      ].join('\n'),
    );
    return 0;
  } catch (error) {
    error.message +=
      '\nThe release stopped after it began to write files: see them with `git status`, and discard them with ' +
      "`git checkout -- . && git clean -f -- CHANGELOG.md 'packages/*/CHANGELOG.md'`.";
    throw error;
  }
}

/** Runs the release command line; resolves with the exit code. */
export async function main(args) {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        'dry-run': { type: 'boolean', default: false },
        version: { type: 'string' },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    console.error(`release: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  try {
    return await release({
      dryRun: values['dry-run'],
      version: values.version,
      verbose: values.verbose,
    });
  } catch (error) {
    console.error(`release: ${error.message}`);
    return 1;
  }
}

if (
  process.argv[1] &&
  realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)
)
  process.exitCode = await main(process.argv.slice(2));
