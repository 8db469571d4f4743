/**
 * Stable error codes of `@kenos/logger` (see `docs/errors.md`).
 *
 * @public
 */
export type LoggerErrorCode =
  | 'KENOS_ERR_LOGGER_SECRET_TOO_SHORT'
  | 'KENOS_ERR_LOGGER_SECRET_INVALID'
  | 'KENOS_ERR_LOGGER_OPTION_INVALID'
  | 'KENOS_ERR_LOGGER_PRETTY_MISSING';

/**
 * The one error class `@kenos/logger` throws. `code` is stable and documented in `docs/errors.md`.
 *
 * @public
 */
export class LoggerError extends Error {
  /** Stable code, e.g. `KENOS_ERR_LOGGER_SECRET_TOO_SHORT`. */
  readonly code: LoggerErrorCode;

  constructor(
    code: LoggerErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LoggerError';
    this.code = code;
  }
}
