import { LifecycleError } from './lifecycle-error.js';

/**
 * Runs `fn` with an AbortSignal and a deadline: rejects with `KENOS_ERR_LIFECYCLE_TIMEOUT` (and
 * aborts the signal) when `fn` has not settled after `timeoutMs`. `fn` keeps running in the
 * background after a timeout; the caller moves on.
 */
export async function runWithTimeout<T>(
  fn: (signal: AbortSignal) => Promise<T> | T,
  timeoutMs: number,
  what: string,
  options: { unref?: boolean } = {},
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new LifecycleError(
        'KENOS_ERR_LIFECYCLE_TIMEOUT',
        `${what} did not finish within ${timeoutMs} ms`,
      );
      controller.abort(err);
      reject(err);
    }, timeoutMs);
    if (options.unref === true) timer.unref();
  });
  try {
    return await Promise.race([
      Promise.resolve().then(() => fn(controller.signal)),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
