import { ValidationError } from '@kenos/server';
import { InvalidGreetingError } from '../domain/greeting.js';

/** Maps domain errors to the typed errors the Kenos transports answer with (400 / INVALID_ARGUMENT). */
export function toTransportError(err: unknown): unknown {
  if (err instanceof InvalidGreetingError) {
    return new ValidationError(err.message, err.violations, { cause: err });
  }
  return err;
}
