import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto';
import {
  fromText,
  headerLength,
  IV_BYTES,
  parseCiphertext,
  payloadAad,
  TAG_BYTES,
  toText,
  writeHeader,
} from './ciphertext-format.js';
import { DataKeyCache, type DataKeyCacheOptions } from './data-key-cache.js';
import {
  canonicalizeContext,
  type EncryptionContext,
} from './encryption-context.js';
import { CryptoError, DecryptionError } from './crypto-error.js';
import type { KeyProvider, WrappedDataKey } from './key-provider.js';

/** Options of {@link createEnvelope}. */
export interface EnvelopeOptions {
  /** Where data keys come from: {@link createKmsKeyProvider} or {@link createLocalKeyProvider}. Required. */
  readonly keyProvider: KeyProvider;
  /**
   * Data-key cache limits, or `false` for a new data key per message and a
   * provider call per decryption. Default enabled with
   * {@link DATA_KEY_CACHE_DEFAULTS}.
   */
  readonly cache?: DataKeyCacheOptions | false;
}

/**
 * Authenticated envelope encryption (AES-256-GCM, random 96-bit IV per
 * message, data key wrapped by a {@link KeyProvider}). The encryption
 * context is bound as associated data: decryption needs exactly the same map.
 */
export interface Envelope {
  /** Encrypt bytes (or a string, as UTF-8) under `context`; returns the binary ciphertext. */
  encrypt(
    plaintext: Uint8Array | string,
    context: EncryptionContext,
  ): Promise<Uint8Array>;
  /**
   * Decrypt a binary ciphertext made under the same `context`.
   *
   * @throws DecryptionError for any tampered, truncated, foreign or wrong-context input.
   * @throws KeyProviderError when the key provider fails (throttling, access denied, ...).
   */
  decrypt(
    ciphertext: Uint8Array,
    context: EncryptionContext,
  ): Promise<Uint8Array>;
  /** Encrypt a string; returns the text form `kenos:v1:<base64url>`, fit for a DB column or a config file. */
  encryptString(plaintext: string, context: EncryptionContext): Promise<string>;
  /** Decrypt the text form back to the string. Same errors as {@link Envelope.decrypt}. */
  decryptString(
    ciphertext: string,
    context: EncryptionContext,
  ): Promise<string>;
  /**
   * Re-wrap the data key of a ciphertext to the provider's current primary
   * key (KMS `ReEncrypt`) without decrypting the payload; the IV, payload and
   * tag stay as they are. The payload is authenticated at the next decrypt,
   * not here.
   */
  reWrap(
    ciphertext: Uint8Array,
    context: EncryptionContext,
  ): Promise<Uint8Array>;
  /** {@link Envelope.reWrap} for the text form. */
  reWrapString(ciphertext: string, context: EncryptionContext): Promise<string>;
  /** Zero every cached data key. Later calls throw `KENOS_ERR_CRYPTO_CLOSED`. Does not close the key provider. */
  close(): Promise<void>;
}

/** Make an {@link Envelope} over a key provider, with a bounded data-key cache. */
export function createEnvelope(options: EnvelopeOptions): Envelope {
  if (!options || typeof options.keyProvider?.generateDataKey !== 'function') {
    throw new CryptoError(
      'KENOS_ERR_CRYPTO_INVALID_ARGUMENT',
      'createEnvelope needs a keyProvider',
    );
  }
  const cache =
    options.cache === false ? undefined : new DataKeyCache(options.cache ?? {});
  return new EnvelopeImpl(options.keyProvider, cache);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const MAX_LOAD_ATTEMPTS = 3;

function headerFor(wrapped: WrappedDataKey): Buffer {
  const keyId = Buffer.from(wrapped.keyId, 'utf8');
  const header = Buffer.allocUnsafe(headerLength(keyId, wrapped.wrappedKey));
  writeHeader(header, keyId, wrapped.wrappedKey);
  return header;
}

function seal(
  header: Buffer,
  key: Uint8Array,
  aad: Buffer,
  plaintext: Uint8Array,
): Uint8Array {
  const out = Buffer.allocUnsafe(
    header.length + IV_BYTES + plaintext.length + TAG_BYTES,
  );
  header.copy(out, 0);
  const ivStart = header.length;
  randomFillSync(out, ivStart, IV_BYTES);
  const cipher = createCipheriv(
    'aes-256-gcm',
    key,
    out.subarray(ivStart, ivStart + IV_BYTES),
    {
      authTagLength: TAG_BYTES,
    },
  );
  cipher.setAAD(aad);
  let offset = ivStart + IV_BYTES;
  offset += cipher.update(plaintext).copy(out, offset);
  offset += cipher.final().copy(out, offset);
  cipher.getAuthTag().copy(out, offset);
  return out;
}

function open(
  key: Uint8Array,
  aad: Buffer,
  iv: Uint8Array,
  body: Uint8Array,
  tag: Uint8Array,
): Buffer {
  let plaintext: Buffer | undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    plaintext = decipher.update(body);
    decipher.final();
    return plaintext;
  } catch {
    plaintext?.fill(0);
    throw new DecryptionError();
  }
}

function lengthPrefixed(parts: Array<string>): string {
  return parts.map((p) => `${p.length}:${p}`).join('');
}

class EnvelopeImpl implements Envelope {
  readonly #provider: KeyProvider;
  readonly #cache: DataKeyCache | undefined;
  #closed = false;

  constructor(provider: KeyProvider, cache: DataKeyCache | undefined) {
    this.#provider = provider;
    this.#cache = cache;
  }

  async encrypt(
    plaintext: Uint8Array | string,
    context: EncryptionContext,
  ): Promise<Uint8Array> {
    this.#assertOpen();
    const data =
      typeof plaintext === 'string'
        ? Buffer.from(plaintext, 'utf8')
        : plaintext;
    if (!(data instanceof Uint8Array)) {
      throw new CryptoError(
        'KENOS_ERR_CRYPTO_INVALID_ARGUMENT',
        'plaintext must be a Uint8Array or a string',
      );
    }
    const canonical = canonicalizeContext(context);
    const aad = payloadAad(canonical);
    const cache = this.#cache;
    if (cache && cache.cacheable(data.length)) {
      const contextKey = canonical.toString('latin1');
      for (let attempt = 0; attempt < MAX_LOAD_ATTEMPTS; attempt++) {
        const entry = cache.takeEncryption(contextKey, data.length);
        if (entry) return seal(entry.header, entry.key, aad, data);
        await cache.loadEncryption(
          contextKey,
          () => this.#provider.generateDataKey(context),
          headerFor,
        );
        this.#assertOpen();
      }
    }
    // Uncached (disabled, oversized message, or heavy contention): a key for this message only.
    const dataKey = await this.#provider.generateDataKey(context);
    try {
      return seal(headerFor(dataKey), dataKey.plaintextKey, aad, data);
    } finally {
      dataKey.plaintextKey.fill(0);
    }
  }

  async decrypt(
    ciphertext: Uint8Array,
    context: EncryptionContext,
  ): Promise<Uint8Array> {
    this.#assertOpen();
    const canonical = canonicalizeContext(context);
    const parsed = parseCiphertext(ciphertext);
    const aad = payloadAad(canonical);
    const wrappedView = Buffer.from(
      parsed.wrappedKey.buffer,
      parsed.wrappedKey.byteOffset,
      parsed.wrappedKey.byteLength,
    );
    // a copy: the caller may reuse its buffer while the provider call is in flight
    const wrapped = (): WrappedDataKey => ({
      keyId: parsed.keyId,
      wrappedKey: Buffer.from(wrappedView),
    });
    const cache = this.#cache;
    if (cache) {
      const cacheKey = lengthPrefixed([
        parsed.keyId,
        canonical.toString('latin1'),
        wrappedView.toString('latin1'),
      ]);
      for (let attempt = 0; attempt < MAX_LOAD_ATTEMPTS; attempt++) {
        const key = cache.getDecryption(cacheKey);
        if (key) return open(key, aad, parsed.iv, parsed.body, parsed.tag);
        await cache.loadDecryption(cacheKey, () =>
          this.#provider.decryptDataKey(wrapped(), context),
        );
        this.#assertOpen();
      }
    }
    const key = await this.#provider.decryptDataKey(wrapped(), context);
    try {
      return open(key, aad, parsed.iv, parsed.body, parsed.tag);
    } finally {
      key.fill(0);
    }
  }

  async encryptString(
    plaintext: string,
    context: EncryptionContext,
  ): Promise<string> {
    if (typeof plaintext !== 'string') {
      throw new CryptoError(
        'KENOS_ERR_CRYPTO_INVALID_ARGUMENT',
        'encryptString needs a string',
      );
    }
    return toText(await this.encrypt(plaintext, context));
  }

  async decryptString(
    ciphertext: string,
    context: EncryptionContext,
  ): Promise<string> {
    const bytes = await this.decrypt(fromText(ciphertext), context);
    try {
      return utf8.decode(bytes);
    } catch {
      throw new DecryptionError();
    } finally {
      bytes.fill(0);
    }
  }

  async reWrap(
    ciphertext: Uint8Array,
    context: EncryptionContext,
  ): Promise<Uint8Array> {
    this.#assertOpen();
    canonicalizeContext(context);
    const parsed = parseCiphertext(ciphertext);
    const rewrapped = await this.#provider.reWrapDataKey(
      { keyId: parsed.keyId, wrappedKey: Buffer.from(parsed.wrappedKey) },
      context,
    );
    const header = headerFor(rewrapped);
    const out = Buffer.allocUnsafe(
      header.length + IV_BYTES + parsed.body.length + TAG_BYTES,
    );
    let offset = header.copy(out, 0);
    out.set(parsed.iv, offset);
    offset += IV_BYTES;
    out.set(parsed.body, offset);
    out.set(parsed.tag, offset + parsed.body.length);
    return out;
  }

  async reWrapString(
    ciphertext: string,
    context: EncryptionContext,
  ): Promise<string> {
    return toText(await this.reWrap(fromText(ciphertext), context));
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#cache?.close();
  }

  #assertOpen(): void {
    if (this.#closed)
      throw new CryptoError(
        'KENOS_ERR_CRYPTO_CLOSED',
        'the envelope is closed',
      );
  }
}
