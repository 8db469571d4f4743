import { resolve } from 'node:path';
import {
  createKmsKeyProvider,
  createLocalKeyProvider,
  type KeyProvider,
} from '@kenos/crypto';
import type { StandardSettings } from './config.js';

/** The key-provider seam: one provider per process, made on first use from the `keys.*` settings. */
export interface KeysSeam {
  get(): KeyProvider;
  /** Closes the provider if one was made (zeroes local keys, destroys the KMS client). */
  close(): Promise<void>;
}

/** `keys.provider` `local` → the key file (relative to `configDir`); `aws` → KMS with `keys.kmsKeyId`. */
export function createKeysSeam(
  keys: StandardSettings['keys'],
  configDir: string,
): KeysSeam {
  let provider: KeyProvider | undefined;
  return {
    get() {
      provider ??=
        keys.provider === 'aws'
          ? createKmsKeyProvider({
              keyIds: [keys.kmsKeyId],
              clientConfig: keys.kmsEndpoint
                ? { endpoint: keys.kmsEndpoint }
                : {},
            })
          : createLocalKeyProvider({
              keyFile: resolve(configDir, keys.localKeyFile),
            });
      return provider;
    },
    close: async () => {
      await provider?.close();
    },
  };
}
