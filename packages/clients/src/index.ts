/**
 * @kenos/clients: Service-to-service HTTP (undici) and gRPC clients with deadline propagation, retries within a budget, request id, trace context, metrics and spans.
 *
 * Export every public symbol by name (no `export *`); each export is part of
 * the API report in `api/clients.api.md`.
 *
 * @packageDocumentation
 */
export { ClientsError } from './clients-error.js';
export type { ClientsErrorCode } from './clients-error.js';
