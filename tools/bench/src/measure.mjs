// Measurement primitives shared by the suites.
import { performance } from 'node:perf_hooks';

/**
 * Runs `fn` repeatedly for about `durationMs` and returns operations per second.
 * `fn` may be sync or async; it is called in batches so the clock is read rarely.
 */
export async function opsPerSecond(fn, durationMs, { batch = 256 } = {}) {
  let ops = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    for (let i = 0; i < batch; i++) {
      const r = fn(i);
      if (r && typeof r.then === 'function') await r;
    }
    ops += batch;
    elapsed = performance.now() - start;
  } while (elapsed < durationMs);
  return (ops * 1000) / elapsed;
}

/** Lets pending I/O and timers run between measurements. */
export function settle(ms = 20) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
