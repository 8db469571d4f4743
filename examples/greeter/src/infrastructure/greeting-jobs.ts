import {
  createInProcessJobSource,
  type JobQueue,
  type JobSource,
  type WorkerSpec,
} from '@kenos/server';
import type { GreetingJob } from '../use-cases/request-greeting.js';
import type { SayHello } from '../use-cases/say-hello.js';

/** The queue of greeting jobs: `POST /v1/greeting-jobs` adds to it, `worker:greetings` consumes it. */
export const GREETINGS_QUEUE = 'greetings';

/** Settings of `worker:greetings`. */
export interface GreetingWorkerSettings {
  intervalMs: number;
  jobDurationMs: number;
  concurrency: number;
}

const NAMES = ['Ada', 'Grace', 'Linus', 'Barbara', 'Ken'];

/** Without a queue: the in-process job source, fed a demo job every `intervalMs`. */
function demoFeed(intervalMs: number): JobSource<GreetingJob> {
  const source = createInProcessJobSource<GreetingJob>();
  let n = 0;
  const feed = (): void =>
    void source.push({ name: NAMES[n++ % NAMES.length] ?? 'World' });
  feed();
  const timer = setInterval(feed, Math.max(10, intervalMs));
  timer.unref();
  return {
    next: (signal) => source.next(signal),
    complete: (job) => source.complete(job),
    fail: (job, err) => source.fail(job, err),
    close: () => {
      clearInterval(timer);
      source.close();
    },
  };
}

/**
 * `worker:greetings`: consumes the {@link GREETINGS_QUEUE} queue when the service has one
 * (`queue.url`, `REDIS_URL`), else greets the demo names of an in-process feed.
 */
export function greetingWorker(
  sayHello: SayHello,
  settings: GreetingWorkerSettings,
  queue: JobQueue | undefined,
): WorkerSpec<GreetingJob> {
  return {
    source: queue
      ? queue.source<GreetingJob>(GREETINGS_QUEUE)
      : demoFeed(settings.intervalMs),
    concurrency: settings.concurrency,
    async handle(job, { signal, logger }) {
      const { message } = await sayHello(
        { name: job.payload.name, delayMs: settings.jobDurationMs },
        signal,
      );
      logger.info({ greeting: message }, 'greeted');
    },
  };
}
