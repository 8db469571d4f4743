// Lazy loading of @aws-sdk/client-kms: importing it costs about 100 ms and 25 MB of RSS, which
// every service would otherwise pay at startup whether or not it ever calls KMS.

/** The @aws-sdk/client-kms module. */
export type KmsSdk = typeof import('@aws-sdk/client-kms');

let loading: Promise<KmsSdk> | undefined;

/** Imports @aws-sdk/client-kms once per process; a failed import is retried by the next call. */
export function loadKmsSdk(): Promise<KmsSdk> {
  loading ??= import('@aws-sdk/client-kms').catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
