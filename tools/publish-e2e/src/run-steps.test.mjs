import { describe, expect, it } from 'vitest';
import { runSteps, StepTimeoutError, summaryLine } from './run-steps.mjs';

const collect = () => {
  const lines = [];
  return { lines, print: (line) => lines.push(line) };
};

describe('the steps of a proof', () => {
  it('run in order, each announced when it starts and when it ends, with its detail', async () => {
    const order = [];
    const out = collect();
    const result = await runSteps(
      [
        { title: 'one', timeoutMs: 1_000, run: () => order.push(1) && '' },
        {
          title: 'two',
          timeoutMs: 1_000,
          run: async () => (order.push(2), 'detail\nof two'),
        },
      ],
      out,
    );
    expect(order).toEqual([1, 2]);
    expect(result).toEqual({
      passed: 2,
      failed: 0,
      skipped: 0,
      ok: true,
      error: null,
    });
    expect(out.lines[0]).toBe('[1/2] one ...');
    expect(out.lines[1]).toMatch(/^ {2}ok \(\d+\.\d s\)$/);
    expect(out.lines.slice(2)).toEqual([
      '[2/2] two ...',
      expect.stringMatching(/^ {2}ok/),
      '  detail\n  of two',
    ]);
    expect(summaryLine(result)).toBe('PASS: 2 passed, 0 failed');
  });

  it('stop at the first failure: it is reported with its message, the rest are skipped', async () => {
    const out = collect();
    let ranAfter = false;
    const result = await runSteps(
      [
        { title: 'good', timeoutMs: 1_000, run: () => undefined },
        {
          title: 'bad',
          timeoutMs: 1_000,
          run: () => {
            throw new Error('npm install exited with 1');
          },
        },
        { title: 'later', timeoutMs: 1_000, run: () => (ranAfter = true) },
      ],
      out,
    );
    expect(ranAfter).toBe(false);
    expect(result).toMatchObject({
      passed: 1,
      failed: 1,
      skipped: 1,
      ok: false,
    });
    expect(result.error.message).toBe('npm install exited with 1');
    expect(out.lines).toContainEqual(
      expect.stringMatching(/^ {2}FAILED \(.*\): npm install exited with 1$/),
    );
    expect(out.lines.at(-1)).toBe('[3/3] later: skipped');
    expect(summaryLine(result)).toBe('FAIL: 1 passed, 1 failed, 1 skipped');
  });

  it('fail a step that outlives its time limit', async () => {
    const result = await runSteps(
      [
        {
          title: 'stuck',
          timeoutMs: 50,
          run: () => new Promise(() => undefined),
        },
      ],
      collect(),
    );
    expect(result.ok).toBe(false);
    expect(result.error).toBeInstanceOf(StepTimeoutError);
    expect(result.error.message).toBe('"stuck" did not finish within 0.05 s');
  });
});
