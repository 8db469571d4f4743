/**
 * @kenos/cli: The kenos command: new, config, secrets, kms-local, observability.
 *
 * Export every public symbol by name (no `export *`); each export is part of
 * the API report in `api/cli.api.md`.
 *
 * @packageDocumentation
 */
export {};
