import { ValidationError } from '@kenos/server';
import { InvalidGreetingError } from '../domain/greeting.js';

/**
 * The service's `mapError`: domain errors become the typed errors the Kenos transports answer
 * with (`ValidationError`: 400 problem+json over REST, INVALID_ARGUMENT over gRPC, with the
 * field violations). Any other error is left to Kenos (500 / INTERNAL, logged with its stack).
 */
export function toTransportError(err: unknown): unknown {
  if (err instanceof InvalidGreetingError)
    return new ValidationError(err.message, err.violations, { cause: err });
  return err;
}
