/** Stable codes of {@link KmsLocalError}. */
export type KmsLocalErrorCode =
  | 'KENOS_ERR_KMS_LOCAL_NON_LOOPBACK'
  | 'KENOS_ERR_KMS_LOCAL_KEY_FILE'
  | 'KENOS_ERR_KMS_LOCAL_LISTEN'
  | 'KENOS_ERR_KMS_LOCAL_OPTIONS';

/**
 * A kms-local server could not start: a non-loopback host without
 * `allowNonLoopback`, an unreadable or corrupt key file, a port in use, or
 * invalid options. Errors of KMS operations are not thrown: they are answered
 * on the wire as AWS JSON 1.1 errors.
 */
export class KmsLocalError extends Error {
  override readonly name = 'KmsLocalError';
  readonly code: KmsLocalErrorCode;

  constructor(
    code: KmsLocalErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = code;
  }
}
