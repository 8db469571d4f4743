import { CryptoError, DecryptionError } from './crypto-error.js';
import type { WrappedDataKey } from './key-provider.js';

/** Format version byte of the binary ciphertext. */
export const FORMAT_VERSION = 0x01;
/** Algorithm suite byte: AES-256-GCM, 96-bit random IV, 128-bit tag, data key used directly. */
export const SUITE_AES_256_GCM = 0x01;
/** Prefix of the text form of a ciphertext. */
export const TEXT_PREFIX = 'kenos:v1:';

export const IV_BYTES = 12;
export const TAG_BYTES = 16;
const MAX_KEY_ID = 0xff;
const MAX_WRAPPED = 0xffff;

/** The parts of a binary ciphertext (views into the input, not copies). */
export interface ParsedCiphertext extends WrappedDataKey {
  readonly iv: Uint8Array;
  readonly body: Uint8Array;
  readonly tag: Uint8Array;
}

/** Associated data of the payload: version, suite and the canonical context. */
export function payloadAad(canonicalContext: Buffer): Buffer {
  const aad = Buffer.allocUnsafe(2 + canonicalContext.length);
  aad[0] = FORMAT_VERSION;
  aad[1] = SUITE_AES_256_GCM;
  canonicalContext.copy(aad, 2);
  return aad;
}

/** Size of the header (everything before the IV) for this key id and wrapped key. */
export function headerLength(
  keyIdBytes: Buffer,
  wrappedKey: Uint8Array,
): number {
  return 5 + keyIdBytes.length + wrappedKey.length;
}

/**
 * Write the header into `out` and return the offset of the IV.
 * Layout: version, suite, uint8 keyIdLength, keyId, uint16 wrappedLength, wrappedKey.
 */
export function writeHeader(
  out: Buffer,
  keyIdBytes: Buffer,
  wrappedKey: Uint8Array,
): number {
  if (keyIdBytes.length === 0 || keyIdBytes.length > MAX_KEY_ID) {
    throw new CryptoError(
      'KENOS_ERR_CRYPTO_INVALID_ARGUMENT',
      'a key provider returned a key id that is not 1-255 bytes of UTF-8',
    );
  }
  if (wrappedKey.length === 0 || wrappedKey.length > MAX_WRAPPED) {
    throw new CryptoError(
      'KENOS_ERR_CRYPTO_INVALID_ARGUMENT',
      'a key provider returned a wrapped data key that is not 1-65535 bytes',
    );
  }
  out[0] = FORMAT_VERSION;
  out[1] = SUITE_AES_256_GCM;
  out[2] = keyIdBytes.length;
  let offset = 3 + keyIdBytes.copy(out, 3);
  offset = out.writeUInt16BE(wrappedKey.length, offset);
  out.set(wrappedKey, offset);
  return offset + wrappedKey.length;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Split a binary ciphertext into its parts; any malformation is a `DecryptionError`. */
export function parseCiphertext(data: Uint8Array): ParsedCiphertext {
  if (!(data instanceof Uint8Array) || data.length < 5)
    throw new DecryptionError();
  if (data[0] !== FORMAT_VERSION || data[1] !== SUITE_AES_256_GCM)
    throw new DecryptionError();
  const keyIdLength = data[2] ?? 0;
  if (keyIdLength === 0) throw new DecryptionError();
  let offset = 3 + keyIdLength;
  if (data.length < offset + 2) throw new DecryptionError();
  let keyId: string;
  try {
    keyId = utf8.decode(data.subarray(3, offset));
  } catch {
    throw new DecryptionError();
  }
  const wrappedLength = ((data[offset] ?? 0) << 8) | (data[offset + 1] ?? 0);
  offset += 2;
  if (
    wrappedLength === 0 ||
    data.length < offset + wrappedLength + IV_BYTES + TAG_BYTES
  ) {
    throw new DecryptionError();
  }
  const wrappedKey = data.subarray(offset, offset + wrappedLength);
  offset += wrappedLength;
  const iv = data.subarray(offset, offset + IV_BYTES);
  offset += IV_BYTES;
  return {
    keyId,
    wrappedKey,
    iv,
    body: data.subarray(offset, data.length - TAG_BYTES),
    tag: data.subarray(data.length - TAG_BYTES),
  };
}

/** The key id a ciphertext (binary or text form) names, e.g. to find ciphertexts to re-wrap. */
export function ciphertextKeyId(ciphertext: Uint8Array | string): string {
  const bytes =
    typeof ciphertext === 'string' ? fromText(ciphertext) : ciphertext;
  return parseCiphertext(bytes).keyId;
}

/** Text form: `kenos:v1:` followed by the unpadded base64url of the binary ciphertext. */
export function toText(ciphertext: Uint8Array): string {
  return (
    TEXT_PREFIX +
    Buffer.from(
      ciphertext.buffer,
      ciphertext.byteOffset,
      ciphertext.byteLength,
    ).toString('base64url')
  );
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Parse the text form; anything else is a `DecryptionError`. */
export function fromText(text: string): Uint8Array {
  if (typeof text !== 'string' || !text.startsWith(TEXT_PREFIX))
    throw new DecryptionError();
  const body = text.slice(TEXT_PREFIX.length);
  if (body.length % 4 === 1 || !BASE64URL.test(body))
    throw new DecryptionError();
  return Buffer.from(body, 'base64url');
}
