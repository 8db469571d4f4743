import type { DataKey } from './key-provider.js';
import { CryptoError } from './crypto-error.js';

/**
 * Limits of the data-key cache of an envelope. The defaults keep AES-GCM
 * with random 96-bit IVs far inside its limits (see docs/crypto.md):
 * 2^20 messages per data key give an IV-collision probability below 2^-57,
 * and 2^30 bytes per data key a GCM distinguishing advantage below 2^-75.
 */
export interface DataKeyCacheOptions {
  /** How long a data key is used for encryption after it was made, in ms. Default `300000` (5 minutes). */
  readonly maxAgeMs?: number;
  /** How many messages one data key encrypts at most. Default `1048576` (2^20). */
  readonly maxMessages?: number;
  /** How many plaintext bytes one data key encrypts at most. Default `1073741824` (2^30, 1 GiB). */
  readonly maxBytes?: number;
  /** How many encryption contexts hold a data key at once (least recently used evicted). Default `1000`. */
  readonly maxEncryptionEntries?: number;
  /** How long an unwrapped data key is kept for decryption, in ms. Default `300000` (5 minutes). */
  readonly decryptionTtlMs?: number;
  /** How many unwrapped data keys are kept for decryption (least recently used evicted). Default `1000`. */
  readonly maxDecryptionEntries?: number;
}

/** The defaults of {@link DataKeyCacheOptions}. */
export const DATA_KEY_CACHE_DEFAULTS: Required<DataKeyCacheOptions> =
  Object.freeze({
    maxAgeMs: 300_000,
    maxMessages: 2 ** 20,
    maxBytes: 2 ** 30,
    maxEncryptionEntries: 1000,
    decryptionTtlMs: 300_000,
    maxDecryptionEntries: 1000,
  });

/** A cached data key for encryption, with the ciphertext header precomputed. */
export interface EncryptionEntry {
  readonly key: Buffer;
  readonly header: Buffer;
  readonly createdAt: number;
  messages: number;
  bytes: number;
  live: boolean;
}

interface DecryptionEntry {
  readonly key: Buffer;
  readonly expiresAt: number;
  live: boolean;
}

/**
 * Two bounded LRU maps of plaintext data keys: for encryption by canonical
 * context, for decryption by key id + context + wrapped key bytes. Lookups
 * are synchronous so a key is used before any other task can evict it;
 * concurrent misses for one cache key share one load. Evicted keys are
 * zeroed, and everything is zeroed on `close()`.
 */
export class DataKeyCache {
  readonly limits: Required<DataKeyCacheOptions>;
  readonly #enc = new Map<string, EncryptionEntry>();
  readonly #dec = new Map<string, DecryptionEntry>();
  readonly #encLoads = new Map<string, Promise<void>>();
  readonly #decLoads = new Map<string, Promise<void>>();
  readonly #timer: NodeJS.Timeout;
  #closed = false;

  constructor(options: DataKeyCacheOptions) {
    this.limits = { ...DATA_KEY_CACHE_DEFAULTS, ...definedOnly(options) };
    for (const [name, value] of Object.entries(this.limits)) {
      if (!(typeof value === 'number' && value > 0 && Number.isFinite(value))) {
        throw new CryptoError(
          'KENOS_ERR_CRYPTO_INVALID_ARGUMENT',
          `cache option ${name} must be a positive number`,
        );
      }
    }
    const period = Math.min(
      60_000,
      Math.max(
        1000,
        Math.min(this.limits.maxAgeMs, this.limits.decryptionTtlMs),
      ),
    );
    this.#timer = setInterval(() => this.sweep(Date.now()), period);
    this.#timer.unref();
  }

  /** Whether a message of `bytes` may use a cached key at all. */
  cacheable(bytes: number): boolean {
    return bytes <= this.limits.maxBytes;
  }

  /** Take a cached encryption key for one message of `bytes`, counting it; undefined on a miss. */
  takeEncryption(
    contextKey: string,
    bytes: number,
  ): EncryptionEntry | undefined {
    const entry = this.#enc.get(contextKey);
    if (!entry) return undefined;
    const l = this.limits;
    if (
      Date.now() - entry.createdAt >= l.maxAgeMs ||
      entry.messages >= l.maxMessages
    ) {
      this.#evictEnc(contextKey, entry);
      return undefined;
    }
    if (entry.bytes + bytes > l.maxBytes) {
      this.#evictEnc(contextKey, entry);
      return undefined;
    }
    entry.messages += 1;
    entry.bytes += bytes;
    // move to the most recently used end
    this.#enc.delete(contextKey);
    this.#enc.set(contextKey, entry);
    return entry;
  }

  /** Make a data key for `contextKey` with `load`, shared by concurrent callers. */
  loadEncryption(
    contextKey: string,
    load: () => Promise<DataKey>,
    header: (key: DataKey) => Buffer,
  ): Promise<void> {
    const pending = this.#encLoads.get(contextKey);
    if (pending) return pending;
    const promise = load()
      .then((dataKey) => {
        let headerBytes: Buffer;
        try {
          headerBytes = header(dataKey);
        } catch (error) {
          zero(dataKey.plaintextKey);
          throw error;
        }
        const key = Buffer.from(dataKey.plaintextKey);
        zero(dataKey.plaintextKey);
        if (this.#closed) {
          key.fill(0);
          return;
        }
        const previous = this.#enc.get(contextKey);
        if (previous) this.#evictEnc(contextKey, previous);
        this.#enc.set(contextKey, {
          key,
          header: headerBytes,
          createdAt: Date.now(),
          messages: 0,
          bytes: 0,
          live: true,
        });
        this.#bound(this.#enc, this.limits.maxEncryptionEntries);
      })
      .finally(() => this.#encLoads.delete(contextKey));
    this.#encLoads.set(contextKey, promise);
    return promise;
  }

  /** A cached unwrapped key, or undefined on a miss. */
  getDecryption(cacheKey: string): Buffer | undefined {
    const entry = this.#dec.get(cacheKey);
    if (!entry) return undefined;
    if (Date.now() >= entry.expiresAt) {
      this.#evictDec(cacheKey, entry);
      return undefined;
    }
    this.#dec.delete(cacheKey);
    this.#dec.set(cacheKey, entry);
    return entry.key;
  }

  /** Unwrap a data key with `load`, shared by concurrent callers, and cache it. */
  loadDecryption(
    cacheKey: string,
    load: () => Promise<Uint8Array>,
  ): Promise<void> {
    const pending = this.#decLoads.get(cacheKey);
    if (pending) return pending;
    const promise = load()
      .then((plaintextKey) => {
        const key = Buffer.from(plaintextKey);
        zero(plaintextKey);
        if (this.#closed) {
          key.fill(0);
          return;
        }
        const previous = this.#dec.get(cacheKey);
        if (previous) this.#evictDec(cacheKey, previous);
        this.#dec.set(cacheKey, {
          key,
          expiresAt: Date.now() + this.limits.decryptionTtlMs,
          live: true,
        });
        this.#bound(this.#dec, this.limits.maxDecryptionEntries);
      })
      .finally(() => this.#decLoads.delete(cacheKey));
    this.#decLoads.set(cacheKey, promise);
    return promise;
  }

  /** Zero and drop every expired entry. */
  sweep(now: number): void {
    for (const [k, e] of this.#enc)
      if (now - e.createdAt >= this.limits.maxAgeMs) this.#evictEnc(k, e);
    for (const [k, e] of this.#dec)
      if (now >= e.expiresAt) this.#evictDec(k, e);
  }

  /** Number of cached keys, for tests and metrics. */
  size(): { encryption: number; decryption: number } {
    return { encryption: this.#enc.size, decryption: this.#dec.size };
  }

  /** Zero every cached key and stop the sweep timer. */
  close(): void {
    this.#closed = true;
    clearInterval(this.#timer);
    for (const [k, e] of this.#enc) this.#evictEnc(k, e);
    for (const [k, e] of this.#dec) this.#evictDec(k, e);
  }

  #bound<E extends { key: Buffer; live: boolean }>(
    map: Map<string, E>,
    max: number,
  ): void {
    while (map.size > max) {
      const oldest = map.entries().next().value;
      if (!oldest) return;
      map.delete(oldest[0]);
      oldest[1].live = false;
      oldest[1].key.fill(0);
    }
  }

  #evictEnc(k: string, e: EncryptionEntry): void {
    this.#enc.delete(k);
    e.live = false;
    e.key.fill(0);
  }

  #evictDec(k: string, e: DecryptionEntry): void {
    this.#dec.delete(k);
    e.live = false;
    e.key.fill(0);
  }
}

function zero(bytes: Uint8Array): void {
  bytes.fill(0);
}

function definedOnly(options: DataKeyCacheOptions): DataKeyCacheOptions {
  return Object.fromEntries(
    Object.entries(options).filter(([, v]) => v !== undefined),
  );
}
