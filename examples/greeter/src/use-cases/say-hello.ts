import {
  checkDelay,
  checkName,
  composeGreeting,
  InvalidGreetingError,
} from '../domain/greeting.js';

/** Input of {@link SayHello}. */
export interface SayHelloInput {
  name: unknown;
  /** Wait this long before answering (demonstrates draining). Default 0. */
  delayMs?: unknown;
}

/** Greets someone; throws {@link InvalidGreetingError} on invalid input. */
export type SayHello = (
  input: SayHelloInput,
  signal?: AbortSignal,
) => Promise<{ message: string }>;

/** Settings of the use case. */
export interface SayHelloSettings {
  greeting: string;
  maxNameLength: number;
}

const wait = (ms: number, signal?: AbortSignal): Promise<void> =>
  ms <= 0
    ? Promise.resolve()
    : new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, ms);
        const onAbort = (): void => {
          clearTimeout(timer);
          reject(
            signal?.reason instanceof Error
              ? signal.reason
              : new Error('aborted'),
          );
        };
        signal?.addEventListener('abort', onAbort, { once: true });
      });

/** Creates the say-hello use case. */
export function createSayHello(settings: SayHelloSettings): SayHello {
  return async (input, signal) => {
    const delayMs = input.delayMs ?? 0;
    const violations = [
      ...checkName(input.name, settings.maxNameLength),
      ...checkDelay(delayMs),
    ];
    if (violations.length > 0) throw new InvalidGreetingError(violations);
    await wait(delayMs as number, signal);
    return {
      message: composeGreeting(settings.greeting, input.name as string),
    };
  };
}
