import { randomBytes } from 'node:crypto';
import { openBlob, readBlobHeader, sealBlob } from './ciphertext-blob.js';
import { assertUsable, type OperationHandler } from './key-operations.js';
import { KmsException } from './kms-exception.js';
import type { KeyStore, StoredKey } from './key-store.js';
import {
  encryptionContext,
  optionalInt,
  optionalString,
  requiredBlob,
  requiredString,
  type RequestInput,
} from './request-input.js';

/** Largest Encrypt plaintext the real KMS accepts. */
const MAX_PLAINTEXT = 4096;
/** Largest CiphertextBlob the real KMS accepts. */
const MAX_CIPHERTEXT = 6144;

function checkAlgorithm(input: RequestInput, name: string): void {
  const algorithm = optionalString(input, name);
  if (algorithm !== undefined && algorithm !== 'SYMMETRIC_DEFAULT') {
    throw new KmsException(
      'ValidationException',
      `kms-local supports only the SYMMETRIC_DEFAULT ${name}.`,
    );
  }
}

function seal(
  store: KeyStore,
  key: StoredKey,
  plaintext: Buffer,
  context: Record<string, string>,
): Buffer {
  assertUsable(store, key);
  const material = key.materials.at(-1);
  if (material === undefined)
    throw new KmsException('KMSInternalException', 'Key has no material.');
  return sealBlob(
    { keyId: key.keyId, materialVersion: material.version },
    material.key,
    plaintext,
    context,
  );
}

/**
 * Opens a blob: the key it names must exist (else InvalidCiphertextException,
 * as for any foreign blob), match `keyRef` when given (else
 * IncorrectKeyException) and be enabled.
 */
function open(
  store: KeyStore,
  blob: Buffer,
  context: Record<string, string>,
  keyRef: string | undefined,
): { key: StoredKey; plaintext: Buffer } {
  const header = readBlobHeader(blob);
  const requested = keyRef === undefined ? undefined : store.resolve(keyRef);
  const key = store.findById(header.keyId);
  if (key === undefined) {
    if (requested !== undefined) {
      throw new KmsException(
        'IncorrectKeyException',
        'The key ID in the request does not identify a KMS key that can perform this operation.',
      );
    }
    throw new KmsException(
      'InvalidCiphertextException',
      'The ciphertext is invalid.',
    );
  }
  if (requested !== undefined && requested.keyId !== key.keyId) {
    throw new KmsException(
      'IncorrectKeyException',
      'The key ID in the request does not identify a KMS key that can perform this operation.',
    );
  }
  assertUsable(store, key);
  const material = key.materials.find(
    (m) => m.version === header.materialVersion,
  );
  if (material === undefined)
    throw new KmsException(
      'InvalidCiphertextException',
      'The ciphertext is invalid.',
    );
  return { key, plaintext: openBlob(blob, material.key, context) };
}

function dataKeyBytes(input: RequestInput): number {
  const spec = optionalString(input, 'KeySpec');
  const count = optionalInt(input, 'NumberOfBytes', 1, 1024);
  if ((spec === undefined) === (count === undefined)) {
    throw new KmsException(
      'ValidationException',
      'Please specify either number of bytes or key spec.',
    );
  }
  if (spec === 'AES_256') return 32;
  if (spec === 'AES_128') return 16;
  if (spec !== undefined)
    throw new KmsException(
      'ValidationException',
      `KeySpec must be AES_256 or AES_128.`,
    );
  return count ?? 32;
}

/** Cryptographic operations: data keys, Encrypt, Decrypt, ReEncrypt. */
export function cryptoOperations(
  store: KeyStore,
): Record<string, OperationHandler> {
  const generate = (
    input: RequestInput,
    withPlaintext: boolean,
  ): Record<string, unknown> => {
    const key = store.resolve(requiredString(input, 'KeyId'));
    const bytes = dataKeyBytes(input);
    const dataKey = randomBytes(bytes);
    const blob = seal(
      store,
      key,
      dataKey,
      encryptionContext(input, 'EncryptionContext'),
    );
    return {
      CiphertextBlob: blob.toString('base64'),
      ...(withPlaintext ? { Plaintext: dataKey.toString('base64') } : {}),
      KeyId: store.keyArn(key.keyId),
    };
  };
  return {
    GenerateDataKey: (input) => generate(input, true),
    GenerateDataKeyWithoutPlaintext: (input) => generate(input, false),
    Encrypt(input) {
      checkAlgorithm(input, 'EncryptionAlgorithm');
      const key = store.resolve(requiredString(input, 'KeyId'));
      const plaintext = requiredBlob(input, 'Plaintext', MAX_PLAINTEXT);
      const blob = seal(
        store,
        key,
        plaintext,
        encryptionContext(input, 'EncryptionContext'),
      );
      return {
        CiphertextBlob: blob.toString('base64'),
        KeyId: store.keyArn(key.keyId),
        EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      };
    },
    Decrypt(input) {
      checkAlgorithm(input, 'EncryptionAlgorithm');
      const blob = requiredBlob(input, 'CiphertextBlob', MAX_CIPHERTEXT);
      const { key, plaintext } = open(
        store,
        blob,
        encryptionContext(input, 'EncryptionContext'),
        optionalString(input, 'KeyId'),
      );
      return {
        KeyId: store.keyArn(key.keyId),
        Plaintext: plaintext.toString('base64'),
        EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      };
    },
    ReEncrypt(input) {
      checkAlgorithm(input, 'SourceEncryptionAlgorithm');
      checkAlgorithm(input, 'DestinationEncryptionAlgorithm');
      const blob = requiredBlob(input, 'CiphertextBlob', MAX_CIPHERTEXT);
      const destination = store.resolve(
        requiredString(input, 'DestinationKeyId'),
      );
      const source = open(
        store,
        blob,
        encryptionContext(input, 'SourceEncryptionContext'),
        optionalString(input, 'SourceKeyId'),
      );
      const sealed = seal(
        store,
        destination,
        source.plaintext,
        encryptionContext(input, 'DestinationEncryptionContext'),
      );
      source.plaintext.fill(0);
      return {
        CiphertextBlob: sealed.toString('base64'),
        SourceKeyId: store.keyArn(source.key.keyId),
        KeyId: store.keyArn(destination.keyId),
        SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      };
    },
    GenerateRandom(input) {
      const bytes = optionalInt(input, 'NumberOfBytes', 1, 1024) ?? 32;
      return { Plaintext: randomBytes(bytes).toString('base64') };
    },
  };
}
