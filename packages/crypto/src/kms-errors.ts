import {
  CryptoError,
  DecryptionError,
  KeyProviderError,
  KmsConfigurationError,
  type KmsConfigurationProblem,
} from './crypto-error.js';

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

/** Error names of the SDK's credential and token providers (@smithy/core property-provider). */
const CREDENTIALS_ERRORS = new Set([
  'CredentialsProviderError',
  'TokenProviderError',
  'ProviderError',
]);

/**
 * Whether `error` is the AWS SDK refusing its own configuration before any
 * request is sent, and about what. The SDK reports a missing region as a plain
 * `Error('Region is missing')` and a malformed one as `Error('Region not
 * accepted: …')` (@smithy/core config-resolver), missing credentials as
 * `CredentialsProviderError` / `TokenProviderError`, an endpoint it cannot use
 * as `EndpointError` (@smithy/util-endpoints) and an endpoint that is no URL as
 * Node's `TypeError` with code `ERR_INVALID_URL`.
 */
function configurationProblem(
  name: string | undefined,
  code: string | undefined,
  message: string,
): { problem: KmsConfigurationProblem; errorName: string } | undefined {
  if (name === undefined || name === 'Error') {
    if (message === 'Region is missing')
      return { problem: 'region', errorName: 'RegionMissing' };
    if (message.startsWith('Region not accepted'))
      return { problem: 'region', errorName: 'InvalidRegion' };
    return undefined;
  }
  if (CREDENTIALS_ERRORS.has(name))
    return { problem: 'credentials', errorName: name };
  if (name === 'EndpointError') return { problem: 'endpoint', errorName: name };
  if (name === 'TypeError' && code === 'ERR_INVALID_URL')
    return { problem: 'endpoint', errorName: 'InvalidURL' };
  return undefined;
}

/**
 * Map an AWS SDK error to `DecryptionError` (invalid ciphertext, wrong key
 * or context on Decrypt/ReEncrypt), `KmsConfigurationError` (no region, no
 * credentials, an unusable endpoint: the SDK's configuration, not KMS,
 * failed) or `KeyProviderError` keeping the KMS error name and whether a
 * later attempt may succeed.
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
    message?: unknown;
  };
  const config = configurationProblem(
    typeof e.name === 'string' ? e.name : undefined,
    typeof e.code === 'string' ? e.code : undefined,
    typeof e.message === 'string' ? e.message : '',
  );
  if (config !== undefined && e.$metadata?.httpStatusCode === undefined) {
    return new KmsConfigurationError(
      {
        operation,
        keyId,
        ...config,
        sdkMessage: typeof e.message === 'string' ? e.message : String(error),
      },
      { cause: error },
    );
  }
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
