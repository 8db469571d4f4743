import { CryptoError } from './crypto-error.js';

/**
 * Encryption context: non-secret strings that describe what is encrypted
 * (e.g. `{ table: 'users', column: 'iban', tenant: 't-42' }`). It is bound to
 * the ciphertext as associated data and passed to KMS as `EncryptionContext`:
 * decryption only succeeds with exactly the same map. Never put secrets in it;
 * KMS logs it in CloudTrail.
 */
export type EncryptionContext = Readonly<Record<string, string>>;

const MAX_FIELD = 0xffff;

/**
 * The canonical bytes of an encryption context, used as associated data:
 * `uint16 count`, then for each entry sorted by the UTF-8 bytes of its key:
 * `uint16 keyLength, key, uint16 valueLength, value` (big endian, UTF-8).
 * Lengths make the encoding injective: `{ab: 'c'}` and `{a: 'bc'}` differ.
 *
 * @throws CryptoError `KENOS_ERR_CRYPTO_INVALID_ARGUMENT` for a non-string
 *   value, an empty key, or a key or value longer than 65535 bytes.
 */
export function canonicalizeContext(context: EncryptionContext): Buffer {
  if (
    context === null ||
    typeof context !== 'object' ||
    Array.isArray(context)
  ) {
    throw invalid('the encryption context must be a plain object of strings');
  }
  const keys = Object.keys(context);
  if (keys.length > MAX_FIELD)
    throw invalid('the encryption context has more than 65535 entries');
  const entries: Array<[Buffer, Buffer]> = [];
  let size = 2;
  for (const key of keys) {
    const value: unknown = context[key];
    if (typeof value !== 'string') {
      throw invalid(
        `the encryption context value of "${key}" must be a string`,
      );
    }
    if (key.length === 0)
      throw invalid('an encryption context key must not be empty');
    const k = Buffer.from(key, 'utf8');
    const v = Buffer.from(value, 'utf8');
    if (k.length > MAX_FIELD || v.length > MAX_FIELD) {
      throw invalid(
        `the encryption context entry "${key.slice(0, 40)}" is longer than 65535 bytes`,
      );
    }
    entries.push([k, v]);
    size += 4 + k.length + v.length;
  }
  entries.sort((a, b) => Buffer.compare(a[0], b[0]));
  const out = Buffer.allocUnsafe(size);
  let offset = out.writeUInt16BE(entries.length, 0);
  for (const [k, v] of entries) {
    offset = out.writeUInt16BE(k.length, offset);
    offset += k.copy(out, offset);
    offset = out.writeUInt16BE(v.length, offset);
    offset += v.copy(out, offset);
  }
  return out;
}

/** A plain copy of the context with string values only, for KMS `EncryptionContext`. */
export function kmsContext(context: EncryptionContext): Record<string, string> {
  return { ...context };
}

function invalid(message: string): CryptoError {
  return new CryptoError('KENOS_ERR_CRYPTO_INVALID_ARGUMENT', message);
}
