// Measurement primitives shared by the suites.
import { performance } from 'node:perf_hooks';

/** Milliseconds of CPU time (user + system) this process has used. */
export function cpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * Runs `fn` repeatedly for about `durationMs` and returns operations per second.
 * `fn` may be sync or async; it is called in batches so the clock is read rarely.
 * `clock: 'cpu'` counts this process's CPU time instead of wall time: for in-process work
 * on a shared machine it is far less noisy (time the OS gave to other processes is not
 * counted against either side), but only fair when all the work happens on this thread.
 */
export async function opsPerSecond(
  fn,
  durationMs,
  { batch = 256, clock = 'wall' } = {},
) {
  const now = clock === 'cpu' ? cpuMs : () => performance.now();
  let ops = 0;
  const start = now();
  let elapsed = 0;
  do {
    for (let i = 0; i < batch; i++) {
      const r = fn(i);
      if (r && typeof r.then === 'function') await r;
    }
    ops += batch;
    elapsed = now() - start;
  } while (elapsed < durationMs);
  return (ops * 1000) / elapsed;
}

/** Lets pending I/O and timers run between measurements. */
export function settle(ms = 20) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
