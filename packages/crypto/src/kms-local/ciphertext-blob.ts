import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { KmsException } from './kms-exception.js';

/**
 * The CiphertextBlob format of kms-local (not the AWS format, which is
 * private; only kms-local reads it):
 *
 * | offset | size | field |
 * | --- | --- | --- |
 * | 0 | 1 | version, `0x01` |
 * | 1 | 16 | key id (the UUID's 16 bytes) |
 * | 17 | 4 | key material version, uint32 big-endian (1 = original, +1 per rotation) |
 * | 21 | 12 | random AES-GCM IV |
 * | 33 | n | AES-256-GCM ciphertext |
 * | 33+n | 16 | GCM tag |
 *
 * The associated data is the 33-byte header followed by the canonical
 * encoding of the encryption context ({@link canonicalContext}), so a
 * different context, key id or material version fails authentication.
 */
const VERSION = 0x01;
const HEADER_BYTES = 33;
const TAG_BYTES = 16;

/** The parsed header of a ciphertext blob. */
export interface BlobHeader {
  keyId: string;
  materialVersion: number;
}

/**
 * Encodes an encryption context unambiguously: entry count, then for each
 * entry sorted by the UTF-8 bytes of its key: uint32 key length, key,
 * uint32 value length, value.
 */
export function canonicalContext(context: Record<string, string>): Buffer {
  const entries = Object.entries(context).map(
    ([k, v]) => [Buffer.from(k, 'utf8'), Buffer.from(v, 'utf8')] as const,
  );
  entries.sort((a, b) => Buffer.compare(a[0], b[0]));
  const parts: Buffer[] = [u32(entries.length)];
  for (const [k, v] of entries) parts.push(u32(k.length), k, u32(v.length), v);
  return Buffer.concat(parts);
}

/** Encrypts `plaintext` under one version of a key's material. */
export function sealBlob(
  header: BlobHeader,
  material: Buffer,
  plaintext: Buffer,
  context: Record<string, string>,
): Buffer {
  const iv = randomBytes(12);
  const head = Buffer.concat([
    Buffer.from([VERSION]),
    uuidToBytes(header.keyId),
    u32(header.materialVersion),
    iv,
  ]);
  const cipher = createCipheriv('aes-256-gcm', material, iv);
  cipher.setAAD(Buffer.concat([head, canonicalContext(context)]));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([head, body, cipher.getAuthTag()]);
}

/** Reads the header of a blob; InvalidCiphertextException when malformed. */
export function readBlobHeader(blob: Buffer): BlobHeader {
  if (blob.length < HEADER_BYTES + TAG_BYTES || blob[0] !== VERSION) {
    throw invalid();
  }
  return {
    keyId: bytesToUuid(blob.subarray(1, 17)),
    materialVersion: blob.readUInt32BE(17),
  };
}

/** Decrypts a blob with the material its header names; InvalidCiphertextException on any failure. */
export function openBlob(
  blob: Buffer,
  material: Buffer,
  context: Record<string, string>,
): Buffer {
  readBlobHeader(blob);
  const head = blob.subarray(0, HEADER_BYTES);
  const tag = blob.subarray(blob.length - TAG_BYTES);
  const body = blob.subarray(HEADER_BYTES, blob.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv(
      'aes-256-gcm',
      material,
      head.subarray(21, 33),
      {
        authTagLength: TAG_BYTES,
      },
    );
    decipher.setAAD(Buffer.concat([head, canonicalContext(context)]));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw invalid();
  }
}

function invalid(): KmsException {
  return new KmsException(
    'InvalidCiphertextException',
    'The ciphertext is invalid.',
  );
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

function uuidToBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replaceAll('-', ''), 'hex');
}

function bytesToUuid(bytes: Buffer): string {
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
