/** Stable codes of the errors @kenos/telemetry throws or reports. */
export type TelemetryErrorCode = 'KENOS_ERR_TELEMETRY_OPTIONS' | 'KENOS_ERR_TELEMETRY_EXPORT';

/** An error of @kenos/telemetry, with a stable `code` (see docs/errors.md). */
export class TelemetryError extends Error {
  /** Stable machine-readable code. */
  readonly code: TelemetryErrorCode;

  constructor(code: TelemetryErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TelemetryError';
    this.code = code;
  }
}
