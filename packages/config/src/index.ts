/**
 * @kenos/config: Typed, validated service config on convict: every error at once, secrets masked everywhere, encrypted values decrypted at boot.
 *
 * Export every public symbol by name (no `export *`); each export is part of
 * the API report in `api/config.api.md`.
 *
 * @packageDocumentation
 */
export {};
