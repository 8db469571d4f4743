// Lazy loading of @aws-sdk/client-kms: importing it costs about 100 ms and 25 MB of RSS, which
// every service would otherwise pay at startup whether or not it ever calls KMS.
import { CryptoError } from './crypto-error.js';

/** The @aws-sdk/client-kms module. */
export type KmsSdk = typeof import('@aws-sdk/client-kms');

const SDK = '@aws-sdk/client-kms';

let loading: Promise<KmsSdk> | undefined;

/**
 * Imports @aws-sdk/client-kms once per process; a failed import is retried by the next call.
 * The package itself not resolving (node_modules not installed or not copied next to a bundle,
 * which keeps the AWS SDK external) is a `KENOS_ERR_CRYPTO_KMS_SDK_MISSING` CryptoError saying
 * what to install; any other failure (a broken install of one of its own dependencies) is
 * passed on as it is. Node remembers a package it did not find for the life of the process, so
 * installing the SDK takes a restart.
 */
export function loadKmsSdk(): Promise<KmsSdk> {
  loading ??= import('@aws-sdk/client-kms').catch((error: unknown) => {
    loading = undefined;
    throw isSdkMissing(error)
      ? new CryptoError(
          'KENOS_ERR_CRYPTO_KMS_SDK_MISSING',
          `KMS is configured but the AWS SDK for KMS (${SDK}) cannot be imported from @kenos/crypto: ` +
            `install it (npm install ${SDK}, or npm ci for the service's production dependencies; ` +
            'an image that runs a kenos bundle needs node_modules too) and start the process again',
          { cause: error },
        )
      : error;
  });
  return loading;
}

/** Whether `error` is Node failing to find @aws-sdk/client-kms itself (not one of its dependencies). */
function isSdkMissing(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  return (
    (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND') &&
    typeof e.message === 'string' &&
    (e.message.includes(`'${SDK}'`) || e.message.includes(`"${SDK}"`))
  );
}
