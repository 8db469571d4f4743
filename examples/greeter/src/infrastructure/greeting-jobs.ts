import { createInProcessJobSource, type WorkerSpec } from '@kenos/server';
import type { SayHello } from '../use-cases/say-hello.js';

/** A job of `worker:greetings`: greet someone, slowly. */
export interface GreetingJob {
  name: string;
}

const NAMES = ['Ada', 'Grace', 'Linus', 'Barbara', 'Ken'];

/**
 * `worker:greetings` with the in-process job source, fed by a timer every
 * `intervalMs` (a real service plugs a queue adapter in as its `JobSource`).
 */
export function greetingWorker(
  sayHello: SayHello,
  settings: { intervalMs: number; jobDurationMs: number },
): WorkerSpec<GreetingJob> {
  const source = createInProcessJobSource<GreetingJob>();
  let n = 0;
  const feed = (): void =>
    void source.push({ name: NAMES[n++ % NAMES.length] ?? 'World' });
  feed();
  const timer = setInterval(feed, Math.max(10, settings.intervalMs));
  timer.unref();
  return {
    source: {
      next: (signal) => source.next(signal),
      complete: (job) => source.complete(job),
      fail: (job, err) => source.fail(job, err),
      close: () => {
        clearInterval(timer);
        source.close();
      },
    },
    concurrency: 2,
    async handle(job, { signal, logger }) {
      const { message } = await sayHello(
        { name: job.payload.name, delayMs: settings.jobDurationMs },
        signal,
      );
      logger.info({ greeting: message }, 'greeted');
    },
  };
}
