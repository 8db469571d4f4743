import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const run = new URL('./run.mjs', import.meta.url).pathname;
const fixtures = new URL('../test/fixtures/', import.meta.url).pathname;

describe('benchmark runner', () => {
  it('measures both sides interleaved, prints the ratio table and fails the run when a case cannot run', () => {
    const r = spawnSync(process.execPath, [run, '--quick', '--rounds', '2', '--ms', '30', '--no-write', '--suites-dir', fixtures], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stdout).toContain('| fixture | half the work is faster |');
    expect(r.stdout).toMatch(/\| fixture \| half the work is faster \| [\d,.]+ ops\/s \| double loop: [\d,.]+ ops\/s \| \d+\.\d\d× \(/);
    expect(r.stdout).toContain('| fixture | a side that throws | — | — | — | — | error: cannot start |');
    expect(r.stdout).toContain('bench: 1 cases measured');
    expect(r.status).toBe(1);
  });
});
