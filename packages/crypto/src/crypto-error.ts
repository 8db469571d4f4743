/**
 * The error class of `@kenos/crypto` and its subclasses. Every error has a
 * stable `code` (`KENOS_ERR_CRYPTO_*`), listed in `docs/errors.md`.
 */

/** Stable codes of {@link CryptoError} (`@kenos/crypto/kms-local` has its own: `KmsLocalErrorCode`). */
export type CryptoErrorCode =
  | 'KENOS_ERR_CRYPTO_DECRYPT'
  | 'KENOS_ERR_CRYPTO_KEY_PROVIDER'
  | 'KENOS_ERR_CRYPTO_KMS_CONFIG'
  | 'KENOS_ERR_CRYPTO_KMS_SDK_MISSING'
  | 'KENOS_ERR_CRYPTO_KEY_FILE'
  | 'KENOS_ERR_CRYPTO_KEY_FILE_EXISTS'
  | 'KENOS_ERR_CRYPTO_LOCAL_KEY_IN_PRODUCTION'
  | 'KENOS_ERR_CRYPTO_INVALID_ARGUMENT'
  | 'KENOS_ERR_CRYPTO_CLOSED'
  | 'KENOS_ERR_CRYPTO_SECRET_FILE';

/**
 * The one error class of `@kenos/crypto`: every error it throws is a
 * `CryptoError` with a stable {@link CryptoErrorCode}; test `code` to tell them
 * apart. The subclasses ({@link DecryptionError}, {@link KeyProviderError},
 * {@link KmsConfigurationError}, {@link SecretFileError}) each have a fixed
 * code and add the fields a caller reads (e.g. `retryable`), so
 * `instanceof` works for them too.
 */
export class CryptoError extends Error {
  override readonly name: string = 'CryptoError';
  readonly code: CryptoErrorCode;

  constructor(
    code: CryptoErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = code;
  }
}

/**
 * The one error for a ciphertext that cannot be decrypted: tampered,
 * truncated, made with a key this provider does not have, or decrypted
 * with a different encryption context. It deliberately never says which
 * check failed and carries no `cause`; no data is ever returned alongside it.
 */
export class DecryptionError extends CryptoError {
  override readonly name = 'DecryptionError';

  constructor() {
    super(
      'KENOS_ERR_CRYPTO_DECRYPT',
      'decryption failed: the ciphertext is invalid for this key and context',
    );
  }
}

/** What went wrong in a key provider call (KMS or local). */
export interface KeyProviderErrorDetails {
  /** The provider operation, e.g. `GenerateDataKey`, `Decrypt`, `ReEncrypt`, `Encrypt`. */
  readonly operation: string;
  /** The error name reported by the provider, e.g. `ThrottlingException`, `AccessDeniedException`. */
  readonly errorName: string;
  /** Whether trying again later may succeed (throttling, 5xx, network, timeout). */
  readonly retryable: boolean;
  /** The key id the call was about, when known. */
  readonly keyId?: string;
}

/**
 * A key provider call failed for a reason other than an invalid ciphertext:
 * throttling, a 5xx, a timeout, access denied, a disabled key. Keeps the KMS
 * error name (`errorName`) and whether the call may be retried
 * (`retryable`); the SDK error is the `cause`.
 */
export class KeyProviderError extends CryptoError {
  override readonly name: string = 'KeyProviderError';
  readonly operation: string;
  readonly errorName: string;
  readonly retryable: boolean;
  readonly keyId: string | undefined;

  constructor(details: KeyProviderErrorDetails, options?: { cause?: unknown }) {
    super(
      'KENOS_ERR_CRYPTO_KEY_PROVIDER',
      `key provider ${details.operation} failed: ${details.errorName}` +
        (details.keyId ? ` (key ${details.keyId})` : '') +
        (details.retryable ? ' (retryable)' : ''),
      options,
    );
    this.operation = details.operation;
    this.errorName = details.errorName;
    this.retryable = details.retryable;
    this.keyId = details.keyId;
  }
}

/** What part of the AWS SDK configuration a {@link KmsConfigurationError} is about. */
export type KmsConfigurationProblem = 'region' | 'credentials' | 'endpoint';

/** What went wrong in a {@link KmsConfigurationError}. */
export interface KmsConfigurationErrorDetails {
  /** The provider operation, e.g. `GenerateDataKey`. */
  readonly operation: string;
  /** The key id the call was about, when known. */
  readonly keyId?: string;
  /** Which setting is missing or wrong. */
  readonly problem: KmsConfigurationProblem;
  /** The SDK error's name, or a name for a plain SDK `Error` (`RegionMissing`, `InvalidRegion`, `InvalidURL`). */
  readonly errorName: string;
  /** The AWS SDK's own words, e.g. `Region is missing`. */
  readonly sdkMessage: string;
}

const KMS_CONFIGURATION_HINTS: Record<KmsConfigurationProblem, string> = {
  region:
    'set AWS_REGION (or the region of the AWS profile, or clientConfig.region)',
  credentials:
    'provide AWS credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or a role (web identity, ECS, EC2)',
  endpoint:
    'fix the KMS endpoint: AWS_ENDPOINT_URL_KMS / AWS_ENDPOINT_URL (or clientConfig.endpoint) must be a URL such as http://127.0.0.1:4599',
};

/**
 * The AWS SDK could not even send a KMS call because its configuration is
 * missing or wrong: no region, no credentials, an invalid endpoint (code
 * `KENOS_ERR_CRYPTO_KMS_CONFIG`, never retryable). The message says what to
 * set; `problem` says which setting (`region`, `credentials`, `endpoint`);
 * the SDK error is the `cause`. A {@link KeyProviderError}, so code that
 * handles provider failures sees it too.
 */
export class KmsConfigurationError extends KeyProviderError {
  override readonly name = 'KmsConfigurationError';
  /** `KENOS_ERR_CRYPTO_KMS_CONFIG`. */
  override readonly code: CryptoErrorCode = 'KENOS_ERR_CRYPTO_KMS_CONFIG';
  /** Which setting is missing or wrong. */
  readonly problem: KmsConfigurationProblem;
  /** What to set, in words (also in the message). */
  readonly hint: string;

  constructor(
    details: KmsConfigurationErrorDetails,
    options?: { cause?: unknown },
  ) {
    super(
      {
        operation: details.operation,
        errorName: details.errorName,
        retryable: false,
        ...(details.keyId === undefined ? {} : { keyId: details.keyId }),
      },
      options,
    );
    this.problem = details.problem;
    this.hint = KMS_CONFIGURATION_HINTS[details.problem];
    this.message =
      `KMS is not configured (${details.operation}${details.keyId ? `, key ${details.keyId}` : ''}): ` +
      `${details.sdkMessage}; ${this.hint}`;
  }
}

/** Why a secret file could not be read or written. */
export type SecretFileErrorReason =
  | 'not-encrypted'
  | 'already-encrypted'
  | 'invalid-format'
  | 'plaintext-value'
  | 'value-authentication'
  | 'mac-mismatch'
  | 'no-usable-key';

/**
 * A secret file is malformed or fails its integrity checks. `reason` tells
 * the operator what to look at and `keyPath` (when set) where, e.g. a value
 * that was moved to another key path or added in plaintext.
 */
export class SecretFileError extends CryptoError {
  override readonly name = 'SecretFileError';
  readonly reason: SecretFileErrorReason;
  readonly keyPath: string | undefined;

  constructor(
    reason: SecretFileErrorReason,
    message: string,
    options?: { cause?: unknown; keyPath?: string },
  ) {
    super('KENOS_ERR_CRYPTO_SECRET_FILE', message, options);
    this.reason = reason;
    this.keyPath = options?.keyPath;
  }
}
