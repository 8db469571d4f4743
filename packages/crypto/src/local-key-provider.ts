import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  canonicalizeContext,
  type EncryptionContext,
} from './encryption-context.js';
import { CryptoError, DecryptionError } from './crypto-error.js';
import { assertDataKeyLength, DATA_KEY_BYTES } from './key-provider.js';
import type { DataKey, KeyProvider, WrappedDataKey } from './key-provider.js';
import { parseLocalKeyFile, type LocalKeyMaterial } from './local-key-file.js';

/** Options of {@link createLocalKeyProvider}: a key file, or keys given directly. */
export type LocalKeyProviderOptions =
  | {
      /** Path of a key file written by `generateLocalKey` (JSON, see docs/crypto.md). */
      readonly keyFile: string;
      /** Allow use when `KENOS_ENV`/`NODE_ENV` is `production`. Default `false`. */
      readonly allowInProduction?: boolean;
    }
  | {
      /** The keys: id and 32-byte key (bytes or base64). */
      readonly keys: ReadonlyArray<{
        readonly id: string;
        readonly key: Uint8Array | string;
      }>;
      /** The id of the primary key. Default the first key. */
      readonly primary?: string;
      /** Allow use when `KENOS_ENV`/`NODE_ENV` is `production`. Default `false`. */
      readonly allowInProduction?: boolean;
    };

const WRAP_DOMAIN = Buffer.from('kenos/local-wrap/v1\0', 'utf8');
const IV_BYTES = 12;
const TAG_BYTES = 16;
const WRAPPED_BYTES = IV_BYTES + DATA_KEY_BYTES + TAG_BYTES;

/**
 * A key provider over local 256-bit keys, for development and tests. Data
 * keys are random and wrapped with AES-256-GCM under the named key, with the
 * key id and the canonical encryption context as associated data. Refuses
 * to start in production (`KENOS_ENV` or `NODE_ENV` = `production`) unless
 * `allowInProduction` is set.
 *
 * @throws CryptoError `KENOS_ERR_CRYPTO_KEY_FILE` for a missing or invalid
 *   key file, `KENOS_ERR_CRYPTO_LOCAL_KEY_IN_PRODUCTION` in production.
 */
export function createLocalKeyProvider(
  options: LocalKeyProviderOptions,
): KeyProvider {
  const env = process.env['KENOS_ENV'] ?? process.env['NODE_ENV'];
  if (env === 'production' && options.allowInProduction !== true) {
    throw new CryptoError(
      'KENOS_ERR_CRYPTO_LOCAL_KEY_IN_PRODUCTION',
      'the local key provider is for development and tests; use the KMS key provider in production',
    );
  }
  let material: LocalKeyMaterial;
  if ('keyFile' in options) {
    let text: string;
    try {
      text = readFileSync(options.keyFile, 'utf8');
    } catch (cause) {
      throw new CryptoError(
        'KENOS_ERR_CRYPTO_KEY_FILE',
        `cannot read the local key file ${options.keyFile}`,
        { cause },
      );
    }
    material = parseLocalKeyFile(text, options.keyFile);
  } else {
    material = parseLocalKeyFile(
      JSON.stringify({
        version: 1,
        primary: options.primary ?? options.keys[0]?.id,
        keys: options.keys.map((k) => ({
          id: k.id,
          key:
            typeof k.key === 'string'
              ? k.key
              : Buffer.from(k.key).toString('base64'),
        })),
      }),
      'the keys option',
    );
  }
  return new LocalKeyProvider(material);
}

class LocalKeyProvider implements KeyProvider {
  readonly kind = 'local';
  readonly primaryKeyId: string;
  readonly #keys: Map<string, Buffer>;
  #closed = false;

  constructor(material: LocalKeyMaterial) {
    this.primaryKeyId = material.primary;
    this.#keys = material.keys;
  }

  async generateDataKey(context: EncryptionContext): Promise<DataKey> {
    const plaintextKey = randomBytes(DATA_KEY_BYTES);
    const wrapped = this.#wrap(plaintextKey, context);
    return { ...wrapped, plaintextKey };
  }

  async decryptDataKey(
    wrapped: WrappedDataKey,
    context: EncryptionContext,
  ): Promise<Uint8Array> {
    return this.#unwrap(wrapped, context);
  }

  async reWrapDataKey(
    wrapped: WrappedDataKey,
    context: EncryptionContext,
  ): Promise<WrappedDataKey> {
    const key = this.#unwrap(wrapped, context);
    try {
      return this.#wrap(key, context);
    } finally {
      key.fill(0);
    }
  }

  async wrapDataKey(
    plaintextKey: Uint8Array,
    context: EncryptionContext,
  ): Promise<WrappedDataKey> {
    assertDataKeyLength(plaintextKey);
    return this.#wrap(plaintextKey, context);
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const key of this.#keys.values()) key.fill(0);
    this.#keys.clear();
  }

  #master(keyId: string): Buffer | undefined {
    if (this.#closed)
      throw new CryptoError(
        'KENOS_ERR_CRYPTO_CLOSED',
        'the local key provider is closed',
      );
    return this.#keys.get(keyId);
  }

  #wrap(plaintextKey: Uint8Array, context: EncryptionContext): WrappedDataKey {
    const keyId = this.primaryKeyId;
    const master = this.#master(keyId);
    if (!master)
      throw new CryptoError(
        'KENOS_ERR_CRYPTO_KEY_FILE',
        `the primary key ${keyId} is missing`,
      );
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', master, iv);
    cipher.setAAD(wrapAad(keyId, context));
    const body = Buffer.concat([cipher.update(plaintextKey), cipher.final()]);
    return {
      keyId,
      wrappedKey: Buffer.concat([iv, body, cipher.getAuthTag()]),
    };
  }

  #unwrap(wrapped: WrappedDataKey, context: EncryptionContext): Buffer {
    const master = this.#master(wrapped.keyId);
    const bytes = wrapped.wrappedKey;
    if (!master || bytes.length !== WRAPPED_BYTES) throw new DecryptionError();
    const aad = wrapAad(wrapped.keyId, context);
    try {
      const decipher = createDecipheriv(
        'aes-256-gcm',
        master,
        bytes.subarray(0, IV_BYTES),
        { authTagLength: TAG_BYTES },
      );
      decipher.setAAD(aad);
      decipher.setAuthTag(bytes.subarray(IV_BYTES + DATA_KEY_BYTES));
      const key = decipher.update(
        bytes.subarray(IV_BYTES, IV_BYTES + DATA_KEY_BYTES),
      );
      try {
        decipher.final();
      } catch {
        key.fill(0);
        throw new DecryptionError();
      }
      return key;
    } catch {
      throw new DecryptionError();
    }
  }
}

function wrapAad(keyId: string, context: EncryptionContext): Buffer {
  const id = Buffer.from(keyId, 'utf8');
  return Buffer.concat([
    WRAP_DOMAIN,
    Buffer.from([id.length]),
    id,
    canonicalizeContext(context),
  ]);
}
