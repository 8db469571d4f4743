import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const run = new URL('./run.mjs', import.meta.url).pathname;
const fixtures = new URL('../test/fixtures/', import.meta.url).pathname;

describe('benchmark runner', () => {
  it('measures both sides interleaved, prints the ratio table and fails the run when a case cannot run', () => {
    const r = spawnSync(
      process.execPath,
      [
        run,
        '--quick',
        '--rounds',
        '2',
        '--ms',
        '30',
        '--no-write',
        '--suites-dir',
        fixtures,
      ],
      {
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(r.stdout).toContain('| fixture | half the work is faster |');
    expect(r.stdout).toMatch(
      /\| fixture \| half the work is faster \| [\d,.]+ ops\/s \| double loop: [\d,.]+ ops\/s \| \d+\.\d\d× \(/,
    );
    expect(r.stdout).toContain(
      '| fixture | a side that throws | — | — | — | — | error: cannot start |',
    );
    expect(r.stdout).toContain('bench: 1 cases measured');
    expect(r.status).toBe(1);
  });

  it('runs only the cases whose name contains a --case text', () => {
    const r = spawnSync(
      process.execPath,
      [
        run,
        '--quick',
        '--rounds',
        '2',
        '--ms',
        '30',
        '--no-write',
        '--suites-dir',
        fixtures,
        '--case',
        'half the work',
      ],
      {
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(r.stdout).toContain('| fixture | half the work is faster |');
    expect(r.stdout).not.toContain('a side that throws');
    // which cases ran is the subject here, not their ratio: a loaded machine may put the fixture below its target
    expect(r.stdout).toMatch(
      /bench: 1 cases measured, [01] below target, 0 errors/,
    );
    expect(r.status).toBe(0);
  });

  it('exits 2 with KENOS_ERR_BENCH_SELECTION when --case matches no case', () => {
    const r = spawnSync(
      process.execPath,
      [
        run,
        '--quick',
        '--no-write',
        '--suites-dir',
        fixtures,
        '--case',
        'no such case',
      ],
      {
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(r.stderr).toContain('KENOS_ERR_BENCH_SELECTION');
    expect(r.status).toBe(2);
  });
});
