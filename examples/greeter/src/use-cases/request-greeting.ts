import { checkName, InvalidGreetingError } from '../domain/greeting.js';

/** A job of the greetings queue: greet someone, later, in `worker:greetings`. */
export interface GreetingJob {
  name: string;
}

/** The port the use case enqueues through; resolves with the job's id once the queue stored it. */
export type EnqueueGreeting = (job: GreetingJob) => Promise<{ id: string }>;

/** Accepts a greeting to run later; throws {@link InvalidGreetingError} on invalid input. */
export type RequestGreeting = (input: GreetingJob) => Promise<{ id: string }>;

/** Settings of the use case. */
export interface RequestGreetingSettings {
  maxNameLength: number;
}

/** Creates the request-greeting use case: the same domain rules as say-hello, then the queue. */
export function createRequestGreeting(
  settings: RequestGreetingSettings,
  enqueue: EnqueueGreeting,
): RequestGreeting {
  return async ({ name }) => {
    const violations = checkName(name, settings.maxNameLength);
    if (violations.length > 0) throw new InvalidGreetingError(violations);
    return enqueue({ name });
  };
}
