import { describe, expect, it } from 'vitest';
import { burstProblem, runFixture } from './child.js';

const LINES = 100_000;
/** The other endings go through the same exit hook; fewer lines keep the suite short on a shared machine. */
const FEWER = 20_000;

describe('nothing is lost at exit (100,000 lines in a real child process)', () => {
  it('keeps every line when the process calls process.exit(0) right after logging', async () => {
    const r = await runFixture('burst.mjs', [
      String(LINES),
      'exit',
      'production',
    ]);
    expect(r.code).toBe(0);
    expect(r.rest).toBe('');
    expect(burstProblem(r.lines, LINES)).toBeUndefined();
  });

  it('keeps every line when the event loop empties and the process ends on its own', async () => {
    const r = await runFixture('burst.mjs', [
      String(FEWER),
      'natural',
      'production',
    ]);
    expect(r.code).toBe(0);
    expect(burstProblem(r.lines, FEWER)).toBeUndefined();
  });

  it('keeps every line when the process dies of an uncaught exception', async () => {
    const r = await runFixture('burst.mjs', [
      String(LINES),
      'throw',
      'production',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('fatal in burst');
    expect(burstProblem(r.lines, LINES)).toBeUndefined();
  });

  it('keeps every line when the process dies of an unhandled rejection', async () => {
    const r = await runFixture('burst.mjs', [
      String(FEWER),
      'reject',
      'production',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('rejected in burst');
    expect(burstProblem(r.lines, FEWER)).toBeUndefined();
  });

  it('has written every line when flushLogs() resolves', async () => {
    const r = await runFixture('burst.mjs', [
      String(FEWER),
      'flush',
      'production',
    ]);
    expect(r.signal).toBe('SIGKILL');
    expect(burstProblem(r.lines, FEWER)).toBeUndefined();
  });

  it('keeps every line with the unbuffered development destination too', async () => {
    const r = await runFixture('burst.mjs', [
      String(FEWER),
      'exit',
      'development',
    ]);
    expect(r.code).toBe(0);
    expect(burstProblem(r.lines, FEWER)).toBeUndefined();
  });

  it('writes a partly filled batch within the flush interval while the process keeps running', async () => {
    const r = await runFixture('idle.mjs');
    expect(r.signal).toBe('SIGKILL');
    expect(r.lines).toHaveLength(1);
    expect(JSON.parse(r.lines[0] as string)).toMatchObject({
      msg: 'one small line',
      service: 'idle',
    });
  });
});

describe('lines logged while the process exits', () => {
  it('writes a line logged by a later exit listener', async () => {
    const r = await runFixture('late-exit-line.mjs');
    expect(r.code).toBe(3);
    expect(r.lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual([
      'before exit',
      'exiting',
    ]);
  });
});
