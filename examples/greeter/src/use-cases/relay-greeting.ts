import {
  checkDelay,
  checkName,
  InvalidGreetingError,
} from '../domain/greeting.js';
import type { SayHelloInput } from './say-hello.js';

/** The port to another greeter: asks it to greet someone, resolves with its greeting. */
export type AskNeighbour = (
  input: SayHelloInput,
) => Promise<{ message: string }>;

/** Greets through another greeter; throws {@link InvalidGreetingError} on invalid input. */
export type RelayGreeting = (
  input: SayHelloInput,
) => Promise<{ message: string }>;

/** Thrown when no other greeter is configured to relay to (`greeter.neighbourUrl` is empty). */
export class NoNeighbourError extends Error {
  constructor() {
    super(
      'no neighbour greeter is configured: set GREETER_NEIGHBOUR_URL (greeter.neighbourUrl)',
    );
    this.name = 'NoNeighbourError';
  }
}

/** Settings of the use case. */
export interface RelayGreetingSettings {
  maxNameLength: number;
}

/**
 * Creates the relay-greeting use case: the same input rules as say-hello, checked here so that
 * invalid input never leaves the service, then the neighbour's answer as it is.
 */
export function createRelayGreeting(
  settings: RelayGreetingSettings,
  askNeighbour: AskNeighbour | undefined,
): RelayGreeting {
  return async ({ name, delayMs }) => {
    const violations = [
      ...checkName(name, settings.maxNameLength),
      ...checkDelay(delayMs),
    ];
    if (violations.length > 0) throw new InvalidGreetingError(violations);
    if (!askNeighbour) throw new NoNeighbourError();
    return askNeighbour({ name, delayMs });
  };
}
