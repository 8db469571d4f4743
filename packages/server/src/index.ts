/**
 * @kenos/server: One call boots a production-ready service: REST on express, gRPC with health and reflection, workers and batches.
 *
 * Export every public symbol by name (no `export *`); each export is part of
 * the API report in `api/server.api.md`.
 *
 * @packageDocumentation
 */
export {};
