/**
 * @kenos/testing: Test harness for services built on Kenos.
 *
 * Export every public symbol by name (no `export *`); each export is part of
 * the API report in `api/testing.api.md`.
 *
 * @packageDocumentation
 */
export {};
