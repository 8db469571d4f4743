/**
 * `@kenos/crypto/kms-local`: a KMS-compatible HTTP server for development and
 * tests (AWS JSON 1.1 wire protocol), used by `kenos kms-local`.
 *
 * @packageDocumentation
 */
export { startKmsLocal, isLoopbackHost } from './start-kms-local.js';
export type {
  KmsLocal,
  KmsLocalOptions,
  KmsLocalStats,
} from './start-kms-local.js';
export type { KmsLocalFaults } from './kms-local-faults.js';
export { KmsLocalError } from './kms-local-error.js';
export type { KmsLocalErrorCode } from './kms-local-error.js';
export { KMS_ERROR_STATUS } from './kms-exception.js';
export type { KmsErrorName } from './kms-exception.js';
