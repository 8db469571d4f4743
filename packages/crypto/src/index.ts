/**
 * @kenos/crypto: Envelope encryption on AWS KMS or a local key, with bounded data-key caching and sops-style secret files.
 *
 * Export every public symbol by name (no `export *`); each export is part of
 * the API report in `api/crypto.api.md`.
 *
 * @packageDocumentation
 */
export { ciphertextKeyId } from './ciphertext-format.js';
export {
  DATA_KEY_CACHE_DEFAULTS,
  type DataKeyCacheOptions,
} from './data-key-cache.js';
export {
  canonicalizeContext,
  type EncryptionContext,
} from './encryption-context.js';
export {
  createEnvelope,
  type Envelope,
  type EnvelopeOptions,
} from './envelope.js';
export {
  CryptoError,
  DecryptionError,
  KeyProviderError,
  KmsConfigurationError,
  SecretFileError,
  type CryptoErrorCode,
  type KeyProviderErrorDetails,
  type KmsConfigurationErrorDetails,
  type KmsConfigurationProblem,
  type SecretFileErrorReason,
} from './crypto-error.js';
export {
  DATA_KEY_BYTES,
  type DataKey,
  type KeyProvider,
  type WrappedDataKey,
} from './key-provider.js';
export { addLocalKey, generateLocalKey } from './local-key-file.js';
export {
  createKmsKeyProvider,
  type KmsKeyProviderOptions,
} from './kms-key-provider.js';
export {
  createLocalKeyProvider,
  type LocalKeyProviderOptions,
} from './local-key-provider.js';
export {
  decryptSecretDocument,
  encryptSecretDocument,
  isEncryptedSecretDocument,
  rotateSecretDocument,
  SECRET_FILE_CONTEXT,
  SECRET_METADATA_KEY,
  updateSecretDocumentKeys,
  type SecretDocumentKey,
  type SecretDocumentMetadata,
  type SecretDocumentOptions,
} from './secret-document.js';
export {
  decryptSecretFile,
  editSecretFile,
  encryptSecretFile,
  loadSecretFile,
  parseSecretDocument,
  rotateSecretFile,
  secretFileFormat,
  serializeSecretDocument,
  updateSecretFileKeys,
  writeSecretFile,
  type SecretFileFormat,
  type SecretFileOptions,
} from './secret-file.js';
export { formatKeyPath } from './secret-values.js';
