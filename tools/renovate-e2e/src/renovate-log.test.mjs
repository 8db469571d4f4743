import { describe, expect, it } from 'vitest';
import { branchesFromLog, parseLog, prTitlesFromLog } from './renovate-log.mjs';

const record = (msg, extra = {}) =>
  JSON.stringify({ name: 'renovate', level: 20, msg, ...extra });
const dep = (depName, branchName) => ({
  depName,
  depType: 'dependencies',
  currentValue: '1.0.0',
  updates: [{ branchName, newVersion: '1.1.0', updateType: 'minor' }],
});

describe('renovate-log', () => {
  it('parses the JSON records of a log and skips other lines', () => {
    const text = [
      'npm warn something',
      record('a'),
      '{not json',
      record('b'),
      '',
    ].join('\n');
    expect(parseLog(text).map((r) => r.msg)).toEqual(['a', 'b']);
  });

  it('groups the updates of "packageFiles with updates" by branch', () => {
    const records = parseLog(
      record('packageFiles with updates', {
        config: {
          npm: [
            {
              packageFile: 'package.json',
              deps: [
                dep('@kenos/server', 'renovate/kenos'),
                dep('pino', 'renovate/pino-1.x'),
                dep('@kenos/cli', 'renovate/kenos'),
              ],
            },
          ],
        },
      }),
    );
    const branches = branchesFromLog(records);
    expect([...branches.keys()]).toEqual([
      'renovate/kenos',
      'renovate/pino-1.x',
    ]);
    expect(
      branches.get('renovate/kenos').updates.map((u) => u.depName),
    ).toEqual(['@kenos/server', '@kenos/cli']);
    expect(branches.get('renovate/kenos').updates[0]).toMatchObject({
      manager: 'npm',
      currentValue: '1.0.0',
      newVersion: '1.1.0',
    });
  });

  it('fails when the run never reached the lookup', () => {
    expect(() =>
      branchesFromLog(parseLog(record('Repository started'))),
    ).toThrow(/packageFiles with updates/);
  });

  it('reads the pull request titles from the prTitle traces, once each', () => {
    const text = [
      record('prTitle: "Kenos platform SDK v1.4.0"'),
      record('prTitle: "Kenos platform SDK v1.4.0"'),
      record('other'),
    ].join('\n');
    expect(prTitlesFromLog(parseLog(text))).toEqual([
      'Kenos platform SDK v1.4.0',
    ]);
  });
});
