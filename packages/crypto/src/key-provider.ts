import type { EncryptionContext } from './encryption-context.js';
import { CryptoError } from './crypto-error.js';

/** A data key wrapped by a key provider, as recorded in a ciphertext. */
export interface WrappedDataKey {
  /**
   * The id of the wrapping key (a local key id, or the KMS key ARN). Stored
   * in the ciphertext; at most 255 UTF-8 bytes.
   */
  readonly keyId: string;
  /** The wrapped (encrypted) data key; at most 65535 bytes. */
  readonly wrappedKey: Uint8Array;
}

/** A fresh 256-bit data key, in plaintext and wrapped. */
export interface DataKey extends WrappedDataKey {
  /** The 32-byte AES-256 key. The receiver owns it and zeroes it after use. */
  readonly plaintextKey: Uint8Array;
}

/**
 * Where data keys come from: AWS KMS ({@link createKmsKeyProvider}) in
 * production, a local key file ({@link createLocalKeyProvider}) in
 * development and tests. The encryption context is bound to every call
 * (KMS `EncryptionContext`, associated data of the local wrap).
 *
 * Errors: an invalid, foreign or wrong-context wrapped key rejects with
 * `DecryptionError`; every other failure (throttling, access denied, a
 * disabled key, a timeout) with `KeyProviderError`.
 */
export interface KeyProvider {
  /** The provider kind recorded in secret files: `local` or `aws-kms`. */
  readonly kind: string;
  /** The key id new data keys are wrapped with (the primary key, as configured). */
  readonly primaryKeyId: string;
  /** Make a new 256-bit data key wrapped by the primary key. */
  generateDataKey(context: EncryptionContext): Promise<DataKey>;
  /** Unwrap a data key with the key it names. The caller zeroes the result after use. */
  decryptDataKey(
    wrapped: WrappedDataKey,
    context: EncryptionContext,
  ): Promise<Uint8Array>;
  /**
   * Re-wrap a data key to the current primary key without returning it in
   * plaintext (KMS `ReEncrypt`).
   */
  reWrapDataKey(
    wrapped: WrappedDataKey,
    context: EncryptionContext,
  ): Promise<WrappedDataKey>;
  /** Wrap an existing data key with the primary key (KMS `Encrypt`). */
  wrapDataKey(
    plaintextKey: Uint8Array,
    context: EncryptionContext,
  ): Promise<WrappedDataKey>;
  /** Release resources and zero key material held by the provider. Idempotent. */
  close(): Promise<void>;
}

/** The length in bytes of every data key (AES-256). */
export const DATA_KEY_BYTES = 32;

/**
 * Throws `KENOS_ERR_CRYPTO_INVALID_ARGUMENT` unless `key` is {@link DATA_KEY_BYTES}
 * bytes long: the check of every provider's `wrapDataKey` on the key it is given.
 */
export function assertDataKeyLength(key: Uint8Array): void {
  if (key.length !== DATA_KEY_BYTES) {
    throw new CryptoError(
      'KENOS_ERR_CRYPTO_INVALID_ARGUMENT',
      `a data key must be ${DATA_KEY_BYTES} bytes`,
    );
  }
}
