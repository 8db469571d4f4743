/**
 * @kenos/telemetry: Prometheus RED metrics and OpenTelemetry tracing, identical in every service.
 *
 * Export every public symbol by name (no `export *`); each export is part of
 * the API report in `api/telemetry.api.md`.
 *
 * @packageDocumentation
 */
export {};
