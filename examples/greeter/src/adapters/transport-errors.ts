import { UnavailableError, ValidationError } from '@kenos/server';
import { InvalidGreetingError } from '../domain/greeting.js';
import { NoNeighbourError } from '../use-cases/relay-greeting.js';

/**
 * The service's `mapError`: domain errors become the typed errors the Kenos transports answer
 * with (`ValidationError`: 400 problem+json over REST, INVALID_ARGUMENT over gRPC, with the
 * field violations; `UnavailableError`: 503 / UNAVAILABLE). Any other error is left to Kenos (500 / INTERNAL, logged with its stack).
 */
export function toTransportError(err: unknown): unknown {
  if (err instanceof InvalidGreetingError)
    return new ValidationError(err.message, err.violations, { cause: err });
  if (err instanceof NoNeighbourError)
    return new UnavailableError(err.message, { cause: err });
  return err;
}
