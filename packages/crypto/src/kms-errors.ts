import { CryptoError, DecryptionError, KeyProviderError } from './errors.js';

/** KMS error names that mean "this ciphertext is not valid for this key and context". */
const INVALID_CIPHERTEXT = new Set([
  'InvalidCiphertextException',
  'IncorrectKeyException',
]);
/** Error names that a later attempt may not get. */
const RETRYABLE = new Set([
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'KMSInternalException',
  'DependencyTimeoutException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalFailure',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);
const RETRYABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

/**
 * Map an AWS SDK error to `DecryptionError` (invalid ciphertext, wrong key
 * or context on Decrypt/ReEncrypt) or `KeyProviderError` keeping the KMS
 * error name and whether a later attempt may succeed.
 */
export function toProviderError(
  operation: string,
  keyId: string,
  error: unknown,
): Error {
  if (error instanceof CryptoError) return error;
  const e = (error ?? {}) as {
    name?: string;
    code?: string;
    $metadata?: { httpStatusCode?: number };
    $retryable?: unknown;
  };
  const errorName =
    typeof e.name === 'string' && e.name !== 'Error'
      ? e.name
      : (e.code ?? 'UnknownError');
  if (
    INVALID_CIPHERTEXT.has(errorName) &&
    operation !== 'GenerateDataKey' &&
    operation !== 'Encrypt'
  ) {
    return new DecryptionError();
  }
  const status = e.$metadata?.httpStatusCode ?? 0;
  const retryable =
    RETRYABLE.has(errorName) ||
    status >= 500 ||
    (e.code !== undefined && RETRYABLE_CODES.has(e.code)) ||
    e.$retryable !== undefined;
  return new KeyProviderError(
    { operation, errorName, retryable, keyId },
    { cause: error },
  );
}
