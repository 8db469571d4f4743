/**
 * @kenos/logger: The fleet's structured logger on pino: request context, trace ids, secrets scrubbed by value, nothing lost at exit.
 *
 * Export every public symbol by name (no `export *`); each export is part of
 * the API report in `api/logger.api.md`.
 *
 * @packageDocumentation
 */
export {};
