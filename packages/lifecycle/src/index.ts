/**
 * @kenos/lifecycle: Kubernetes probes, health checks and an ordered, bounded, lossless shutdown.
 *
 * Export every public symbol by name (no `export *`); each export is part of
 * the API report in `api/lifecycle.api.md`.
 *
 * @packageDocumentation
 */
export {};
