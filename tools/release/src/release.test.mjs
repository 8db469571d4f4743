import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  freshClone,
  commit,
  git,
  readJson,
  removeClone,
  runScript,
} from './test-clone.mjs';
import { workspaceManifests } from './workspace.mjs';

afterAll(removeClone);

/** The publishable packages: packages/* that are not private. */
function publishable(dir) {
  return workspaceManifests(dir).filter(
    (m) => m.dir.startsWith('packages/') && m.json.private !== true,
  );
}

describe('npm run release', () => {
  it('with --dry-run prints the next version, the changelog with the commits and the release notes, and leaves the clone as it was', () => {
    const dir = freshClone();
    const head = commit(dir, 'feat(logger): a feature only the dry run sees', {
      'packages/logger/README.md': (text) =>
        `${text}\nA line for the dry run.\n`,
    });

    const r = runScript(dir, 'release.mjs', ['--dry-run']);

    expect(r.status, r.output).toBe(0);
    expect(r.stdout).toContain(
      'Last release: none (this is the first release)',
    );
    expect(r.stdout).toContain('Next version: 1.0.0 (tag v1.0.0)');
    expect(r.stdout).toMatch(/^# 1\.0\.0 \(\d{4}-\d{2}-\d{2}\)$/m);
    expect(r.stdout).toContain('- **logger:** a feature only the dry run sees');
    expect(r.stdout).toContain('# Kenos v1.0.0');
    expect(r.stdout).toContain('## Upgrading a service');
    expect(r.stdout).toContain('release-notes-v1.0.0.md');
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(git(dir, 'tag', '--list')).toBe('');
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
    expect(existsSync(join(dir, 'dist/release'))).toBe(false);
    expect(readJson(dir, 'packages/logger/package.json').version).toBe('0.0.0');
  });

  it('commits and tags v1.0.0 locally with the changelogs, moves every @kenos/* range to 1.0.0 and keeps the lock file in line', () => {
    const dir = freshClone();

    const r = runScript(dir, 'release.mjs');

    expect(r.status, r.output).toBe(0);
    expect(git(dir, 'log', '-1', '--format=%s')).toBe('chore(release): v1.0.0');
    expect(git(dir, 'describe', '--exact-match', 'HEAD')).toBe('v1.0.0');
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(readFileSync(join(dir, 'CHANGELOG.md'), 'utf8')).toMatch(
      /^# 1\.0\.0 /,
    );

    const packages = publishable(dir);
    expect(packages.map((m) => m.json.name)).toContain('@kenos/server');
    for (const m of packages) {
      expect(m.json.version, m.path).toBe('1.0.0');
      expect(existsSync(join(dir, m.dir, 'CHANGELOG.md')), m.dir).toBe(true);
    }
    // between the packages, and from the examples and tools, every @kenos/* range names 1.0.0
    const lock = readJson(dir, 'package-lock.json');
    for (const m of workspaceManifests(dir)) {
      for (const field of [
        'dependencies',
        'devDependencies',
        'peerDependencies',
      ]) {
        for (const [name, range] of Object.entries(m.json[field] ?? {})) {
          if (!name.startsWith('@kenos/')) continue;
          expect(range, `${m.path} ${name}`).toMatch(
            m.dir.startsWith('packages/') ? /^1\.0\.0$/ : /^\^?1\.0\.0$/,
          );
          expect(
            lock.packages[m.dir][field][name],
            `lock ${m.dir} ${name}`,
          ).toBe(range);
        }
      }
      expect(lock.packages[m.dir].version, `lock ${m.dir}`).toBe(
        m.json.version,
      );
    }
    expect(
      readJson(dir, 'packages/server/package.json').dependencies[
        '@kenos/config'
      ],
    ).toBe('1.0.0');
    expect(
      readJson(dir, 'examples/greeter/package.json').dependencies[
        '@kenos/server'
      ],
    ).toBe('1.0.0');
    const notes = readFileSync(
      join(dir, 'dist/release/release-notes-v1.0.0.md'),
      'utf8',
    );
    expect(notes).toContain('# Kenos v1.0.0');
    expect(notes).toContain('| `@kenos/server` | 1.0.0 |');

    // the next release starts from the tag: a fix makes a patch, and the release commit is no change
    commit(dir, 'fix(config): a fix after the first release', {
      'packages/config/README.md': (text) => `${text}\nA fix.\n`,
    });
    const next = runScript(dir, 'release.mjs', ['--dry-run']);
    expect(next.status, next.output).toBe(0);
    expect(next.stdout).toContain('Last release: v1.0.0');
    expect(next.stdout).toContain('Next version: 1.0.1 (tag v1.0.1)');
    expect(next.stdout).toContain(
      '- **config:** a fix after the first release',
    );
    expect(next.stdout).not.toContain('a feature only the dry run sees');
    expect(next.stdout).toContain(
      'API guard: the API reports are unchanged since v1.0.0: passes.',
    );
  });

  it('refuses to release from a working tree with uncommitted changes', () => {
    const dir = freshClone();
    const head = git(dir, 'rev-parse', 'HEAD');
    commit(dir, 'docs(logger): a committed line', {
      'packages/logger/README.md': (text) => `${text}\nCommitted.\n`,
    });
    git(dir, 'reset', '--quiet', '--soft', head);

    const r = runScript(dir, 'release.mjs');

    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      'uncommitted changes (packages/logger/README.md)',
    );
    expect(git(dir, 'tag', '--list')).toBe('');
  });
});
