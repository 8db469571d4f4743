// The steps of an end-to-end proof, run one after the other, each within its own time limit, with
// one line when a step starts and one when it ends; after the first failure the rest are skipped.

/** Thrown by a step whose time ran out. */
export class StepTimeoutError extends Error {}

function withinTime(promise, timeoutMs, title) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new StepTimeoutError(
            `"${title}" did not finish within ${timeoutMs / 1000} s`,
          ),
        ),
      timeoutMs,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Runs `steps` (`{ title, timeoutMs, run }`; `run()` may resolve with a line of detail to print)
 * in order and resolves with `{ passed, failed, skipped, ok, error }`; `error` is the failure of
 * the failed step. A step that rejects or outlives its `timeoutMs` fails.
 */
export async function runSteps(steps, { print = console.log } = {}) {
  const result = { passed: 0, failed: 0, skipped: 0, ok: true, error: null };
  for (const [index, step] of steps.entries()) {
    const label = `[${index + 1}/${steps.length}] ${step.title}`;
    if (!result.ok) {
      result.skipped++;
      print(`${label}: skipped`);
      continue;
    }
    print(`${label} ...`);
    const started = Date.now();
    try {
      const detail = await withinTime(
        Promise.resolve().then(step.run),
        step.timeoutMs,
        step.title,
      );
      result.passed++;
      print(`  ok (${seconds(Date.now() - started)})`);
      if (typeof detail === 'string' && detail !== '')
        print(detail.replace(/^/gm, '  '));
    } catch (err) {
      result.failed++;
      result.ok = false;
      result.error = err;
      const message = err instanceof Error ? err.message : String(err);
      print(
        `  FAILED (${seconds(Date.now() - started)}): ${message.replace(/\n/g, '\n  ')}`,
      );
    }
  }
  return result;
}

/** The closing line: `PASS: 9 passed, 0 failed` or `FAIL: 4 passed, 1 failed, 4 skipped`. */
export function summaryLine({ passed, failed, skipped, ok }) {
  return `${ok ? 'PASS' : 'FAIL'}: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
}
