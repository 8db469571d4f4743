/**
 * Stable codes of `@kenos/jobs`, each with a row in docs/errors.md (a root test compares
 * them). Add a code here and its row there in the same commit.
 */
export type JobsErrorCode =
  | 'KENOS_ERR_JOBS_INVALID_ARGUMENT'
  | 'KENOS_ERR_JOBS_CLOSED';

/**
 * The one error class of `@kenos/jobs`: a stable {@link JobsErrorCode} and the
 * underlying `cause`. The message says what happened and never repeats the code.
 */
export class JobsError extends Error {
  /** Stable code, listed in docs/errors.md. */
  readonly code: JobsErrorCode;

  constructor(
    code: JobsErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'JobsError';
    this.code = code;
  }
}
