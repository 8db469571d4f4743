/**
 * Stable codes of the errors @kenos/telemetry throws, logs or answers (see docs/errors.md):
 * `_OPTIONS` and `_EXPORT` are thrown or logged as a {@link TelemetryError}; `_DIAG`,
 * `_CARDINALITY` (warnings) and `_SCRAPE` (the body of a failed `GET /metrics`) only appear as the
 * `code` of a log line or answer.
 */
export type TelemetryErrorCode =
  | 'KENOS_ERR_TELEMETRY_OPTIONS'
  | 'KENOS_ERR_TELEMETRY_EXPORT'
  | 'KENOS_ERR_TELEMETRY_DIAG'
  | 'KENOS_ERR_TELEMETRY_SCRAPE'
  | 'KENOS_ERR_TELEMETRY_CARDINALITY'
  | 'KENOS_ERR_TELEMETRY_QUEUE_DEPTH';

/** The one error class of @kenos/telemetry, with a stable `code` (see docs/errors.md). */
export class TelemetryError extends Error {
  /** Stable machine-readable code. */
  readonly code: TelemetryErrorCode;

  constructor(
    code: TelemetryErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TelemetryError';
    this.code = code;
  }
}
