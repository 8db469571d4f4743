import { setTimeout as sleep } from 'node:timers/promises';
import {
  checkDelay,
  checkName,
  composeGreeting,
  InvalidGreetingError,
} from '../domain/greeting.js';

/** Input of {@link SayHello}. */
export interface SayHelloInput {
  name: string;
  /** Wait this long before answering (demonstrates draining), in milliseconds. */
  delayMs: number;
}

/** Greets someone; throws {@link InvalidGreetingError} on invalid input, rejects when `signal` aborts the wait. */
export type SayHello = (
  input: SayHelloInput,
  signal?: AbortSignal,
) => Promise<{ message: string }>;

/** Settings of the use case. */
export interface SayHelloSettings {
  greeting: string;
  maxNameLength: number;
}

/** Creates the say-hello use case. */
export function createSayHello(settings: SayHelloSettings): SayHello {
  return async ({ name, delayMs }, signal) => {
    const violations = [
      ...checkName(name, settings.maxNameLength),
      ...checkDelay(delayMs),
    ];
    if (violations.length > 0) throw new InvalidGreetingError(violations);
    if (delayMs > 0) await sleep(delayMs, undefined, signal ? { signal } : {});
    return { message: composeGreeting(settings.greeting, name) };
  };
}
