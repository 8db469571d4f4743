import { afterAll, describe, expect, it } from 'vitest';
import {
  freshClone,
  commit,
  git,
  removeClone,
  runScript,
} from './test-clone.mjs';

afterAll(removeClone);

const REPORT = 'packages/logger/api/logger.api.md';

/** The report without the declaration block of `createLogger` (API Extractor writes CRLF). */
const withoutCreateLogger = (text) => {
  const blocks = text.split('\r\n\r\n');
  const kept = blocks.filter(
    (b) => !b.includes('export function createLogger('),
  );
  expect(kept.length).toBe(blocks.length - 1);
  return kept.join('\r\n\r\n');
};

/** The report with a new export `loggerProbe`. */
const withLoggerProbe = (text) => {
  const end = text.lastIndexOf('```');
  return `${text.slice(0, end)}// @public\r\nexport function loggerProbe(): boolean;\r\n\r\n${text.slice(end)}`;
};

/** A clone whose HEAD is released as `tag` (an annotated tag, as a release makes). */
function releasedClone(tag) {
  const dir = freshClone();
  git(dir, 'tag', '--annotate', tag, '--message', tag);
  return dir;
}

describe('the API guard of the release', () => {
  it('fails a release whose only commit is a fix: when an export is gone from an API report, naming package, report and symbol', () => {
    const dir = releasedClone('v1.0.0');
    const head = commit(dir, 'fix(logger): drop createLogger', {
      [REPORT]: withoutCreateLogger,
    });

    const r = runScript(dir, 'release.mjs');

    expect(r.status, r.output).toBe(1);
    expect(r.stderr).toContain('1.0.1 is a patch release');
    expect(r.stderr).toContain(
      `@kenos/logger ${REPORT}: createLogger removed (breaking)`,
    );
    expect(r.stderr).toContain('nothing was written');
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(dir, 'tag', '--list')).toBe('v1.0.0');
  });

  it('passes the same removal in a feat!: commit, which makes a major release', () => {
    const dir = releasedClone('v1.0.0');
    commit(dir, 'feat(logger)!: createLogger is gone', {
      [REPORT]: withoutCreateLogger,
    });

    const r = runScript(dir, 'release.mjs', ['--dry-run']);

    expect(r.status, r.output).toBe(0);
    expect(r.stdout).toContain('Next version: 2.0.0');
    expect(r.stdout).toContain(
      'need at least a major release; 2.0.0 is a major release: passes.',
    );
    expect(r.stdout).toContain('`createLogger` removed — **breaking**');
  });

  it('passes an added export in a feat: commit, a minor release', () => {
    const dir = releasedClone('v1.0.0');
    commit(dir, 'feat(logger): loggerProbe', { [REPORT]: withLoggerProbe });

    const r = runScript(dir, 'release.mjs', ['--dry-run']);

    expect(r.status, r.output).toBe(0);
    expect(r.stdout).toContain('Next version: 1.1.0');
    expect(r.stdout).toContain(`@kenos/logger ${REPORT}: loggerProbe added`);
    expect(r.stdout).toContain(
      'need at least a minor release; 1.1.0 is a minor release: passes.',
    );
  });

  it('on 0.x takes a breaking change in a minor release, and alone fails a patch', () => {
    const dir = releasedClone('v0.3.0');
    commit(dir, 'feat(logger)!: createLogger is gone', {
      [REPORT]: withoutCreateLogger,
    });

    const release = runScript(dir, 'release.mjs', ['--dry-run']);
    expect(release.status, release.output).toBe(0);
    expect(release.stdout).toContain('Next version: 0.4.0');

    const alone = runScript(dir, 'api-guard.mjs', ['--version', '0.3.1']);
    expect(alone.status, alone.output).toBe(1);
    expect(alone.stderr).toContain(
      '0.3.1 is a patch release, but the API changes since v0.3.0 need a minor release',
    );
    expect(alone.stderr).toContain(
      `@kenos/logger ${REPORT}: createLogger removed (breaking)`,
    );
  });

  it('alone passes with nothing to compare before the first release tag', () => {
    const dir = freshClone();

    const r = runScript(dir, 'api-guard.mjs');

    expect(r.status, r.output).toBe(0);
    expect(r.stdout).toContain('no release tag (v*) yet');
  });
});
