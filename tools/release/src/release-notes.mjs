// The release notes of a Kenos release, in Markdown for a GitHub release
// (`gh release create v<version> -F dist/release/release-notes-v<version>.md`): what a service
// team needs to decide on the upgrade pull request Renovate opens.
import { releaseKind } from './git.mjs';

const BREAKING = new Set(['removed', 'changed']);

/** The changelog entry of Nx without its version heading (`## 1.2.0 (2026-12-03)`). */
function changelogBody(entry) {
  return entry.replace(/^#{1,2} [^\n]*\n+/, '').trim();
}

/** The API section: each package's changed symbols, or why there are none. */
function apiSection(last, apiChanges) {
  if (last === undefined)
    return [
      "The first release: each package's public API is the one recorded in its `api/*.api.md` report.",
    ];
  if (apiChanges.length === 0)
    return [`No package's public API changed since ${last.tag}.`];
  return apiChanges.map(
    (c) =>
      `- \`${c.packageName}\` (\`${c.file}\`): \`${c.symbol}\` ${c.change}${BREAKING.has(c.change) ? ' — **breaking**' : ''}`,
  );
}

/**
 * Renders the notes: `version` (`1.2.0`), `last` (`{ tag, version }` or undefined), the workspace
 * changelog entry Nx rendered, the packages released (`[{ name }]`) and the API changes of the
 * API guard.
 */
export function renderReleaseNotes({
  version,
  last,
  changelog,
  packages,
  apiChanges,
}) {
  const kind =
    last === undefined ? 'first' : releaseKind(last.version, version);
  const breaking =
    apiChanges.some((c) => BREAKING.has(c.change)) ||
    /Breaking Changes/.test(changelog);
  const lines = [
    `# Kenos v${version}`,
    '',
    last === undefined
      ? `The first release of the Kenos platform SDK: every \`@kenos/*\` package at **${version}**.`
      : `Every \`@kenos/*\` package at **${version}**, a ${kind} release after ${last.tag}.`,
    '',
  ];
  if (breaking && last !== undefined)
    lines.push(
      '> [!WARNING]',
      '> This release has breaking changes (below). Read them, and the migration steps they name, before',
      '> merging the upgrade pull request.',
      '',
    );
  lines.push(
    '## Upgrading a service',
    '',
    `Renovate opens one pull request, "Kenos platform SDK", that moves every \`@kenos/*\` dependency of a`,
    `service to ${version} (the preset \`@kenos/renovate-config\`). By hand: set every \`@kenos/*\``,
    `dependency in \`package.json\` to exactly \`${version}\` and run \`npm install\`.`,
    '',
    '## API changes',
    '',
    ...apiSection(last, apiChanges),
    '',
    '## Changes',
    '',
    changelogBody(changelog) || 'No change of note.',
    '',
    '## Packages',
    '',
    '| package | version |',
    '| --- | --- |',
    ...packages
      .map((p) => p.name)
      .sort()
      .map((name) => `| \`${name}\` | ${version} |`),
    '',
  );
  return lines.join('\n');
}
