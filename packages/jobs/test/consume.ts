import type { Job, JobSource } from '@kenos/server';

/** A handler of the test consumer: throws to fail the job. */
export type Handler<T> = (job: Job<T>, signal: AbortSignal) => Promise<void>;

/** A running test consumer: the loop of `@kenos/server`'s worker transport, without its seams. */
export interface Consumer {
  /** Stops taking jobs, waits for the running ones; aborts them after `deadlineMs`; closes the source. */
  stop(deadlineMs?: number): Promise<void>;
}

/**
 * Drives a JobSource as the worker transport does: `next` while fewer than `concurrency` jobs
 * run, the handler, then `complete` or `fail`; on stop, abort `next`, wait for the in-flight jobs
 * (aborting them at the deadline, after which they fail), then `close`.
 */
export function consume<T>(
  source: JobSource<T>,
  handler: Handler<T>,
  concurrency = 1,
): Consumer {
  const stopTaking = new AbortController();
  const deadline = new AbortController();
  const running = new Set<Promise<void>>();
  const run = async (job: Job<T>): Promise<void> => {
    try {
      await handler(job, deadline.signal);
      await source.complete(job);
    } catch (err) {
      await Promise.resolve(source.fail(job, err)).catch(() => undefined);
    }
  };
  const loop = (async () => {
    await source.open?.({ concurrency });
    while (!stopTaking.signal.aborted) {
      if (running.size >= concurrency) {
        await Promise.race(running);
        continue;
      }
      const job = await source.next(stopTaking.signal);
      if (!job) break;
      const p = run(job).finally(() => running.delete(p));
      running.add(p);
    }
  })();
  return {
    async stop(deadlineMs = 10_000) {
      stopTaking.abort();
      const timer = setTimeout(
        () => deadline.abort(new Error('deadline')),
        deadlineMs,
      );
      await loop;
      await Promise.allSettled([...running]);
      clearTimeout(timer);
      await source.close?.();
    },
  };
}

/** Waits until `predicate` holds, polling every 50 ms; rejects after `timeoutMs`. */
export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await predicate()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what} after ${timeoutMs} ms`);
}

/** An origin as `ServiceContext.enqueue` sets it. */
export const origin = (requestId = 'req-1') => ({
  requestId,
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  enqueuedAt: Date.now(),
});
