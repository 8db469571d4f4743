/**
 * @kenos/crypto: Envelope encryption on AWS KMS or a local key, with bounded data-key caching and sops-style secret files.
 *
 * Export every public symbol by name (no `export *`); each export is part of
 * the API report in `api/crypto.api.md`.
 *
 * @packageDocumentation
 */
export {};
