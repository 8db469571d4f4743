import { timingSafeEqual } from 'node:crypto';
import type { EncryptionContext } from './encryption-context.js';
import { DecryptionError, SecretFileError } from './crypto-error.js';
import type { KeyProvider } from './key-provider.js';
import {
  computeMac,
  decryptValue,
  deriveKeys,
  encryptValue,
  isPlainObject,
  leafOf,
  mapLeaves,
  SECRET_METADATA_KEY,
  valueOf,
  zeroKeys,
  type FileKeys,
  type LeafType,
} from './secret-values.js';

export { SECRET_METADATA_KEY };

/** One wrapped copy of a secret document's data key. */
export interface SecretDocumentKey {
  /** The provider kind that wrapped it: `local` or `aws-kms`. */
  readonly provider: string;
  /** The wrapping key id (local key id or KMS key ARN). */
  readonly keyId: string;
  /** The wrapped data key, base64. */
  readonly wrappedKey: string;
}

/** The metadata block (`kenos:`) of an encrypted secret document. */
export interface SecretDocumentMetadata {
  readonly version: 1;
  readonly keys: readonly SecretDocumentKey[];
  /** When a value last changed (ISO 8601). */
  readonly lastModified: string;
  /** HMAC-SHA256 over every key path and value ciphertext, base64. */
  readonly mac: string;
}

/** Options of the secret document functions. */
export interface SecretDocumentOptions {
  /** The key provider that wraps (and unwraps) the document's data key. Required. */
  readonly keyProvider: KeyProvider;
}

/** The encryption context every secret-file data key is wrapped under. */
export const SECRET_FILE_CONTEXT: EncryptionContext = Object.freeze({
  'kenos:purpose': 'secret-file',
});

/** Whether `document` is an encrypted secret document (has a `kenos` metadata block). */
export function isEncryptedSecretDocument(document: unknown): boolean {
  return (
    isPlainObject(document) && isPlainObject(document[SECRET_METADATA_KEY])
  );
}

function metadataOf(document: unknown): SecretDocumentMetadata {
  const meta = isPlainObject(document)
    ? document[SECRET_METADATA_KEY]
    : undefined;
  if (!isPlainObject(meta)) {
    throw new SecretFileError(
      'not-encrypted',
      'this is not an encrypted secret document (no kenos metadata)',
    );
  }
  const keys = meta['keys'];
  if (
    meta['version'] !== 1 ||
    typeof meta['mac'] !== 'string' ||
    typeof meta['lastModified'] !== 'string' ||
    !Array.isArray(keys) ||
    keys.length === 0 ||
    !keys.every(
      (k: unknown) =>
        isPlainObject(k) &&
        typeof k['provider'] === 'string' &&
        typeof k['keyId'] === 'string' &&
        typeof k['wrappedKey'] === 'string',
    )
  ) {
    throw new SecretFileError(
      'invalid-format',
      'the kenos metadata of the secret document is malformed',
    );
  }
  return meta as unknown as SecretDocumentMetadata;
}

/** Unwrap the document's data key with the first key entry the provider can open. */
async function unwrapDataKey(
  meta: SecretDocumentMetadata,
  keyProvider: KeyProvider,
): Promise<Uint8Array> {
  for (const entry of meta.keys) {
    if (entry.provider !== keyProvider.kind) continue;
    try {
      return await keyProvider.decryptDataKey(
        {
          keyId: entry.keyId,
          wrappedKey: Buffer.from(entry.wrappedKey, 'base64'),
        },
        SECRET_FILE_CONTEXT,
      );
    } catch (error) {
      if (!(error instanceof DecryptionError)) throw error;
    }
  }
  throw new SecretFileError(
    'no-usable-key',
    `no key of this ${keyProvider.kind} key provider opens the secret document (keys: ${meta.keys
      .map((k) => `${k.provider}:${k.keyId}`)
      .join(', ')})`,
  );
}

interface Opened {
  readonly plain: Record<string, unknown>;
  readonly leaves: Map<
    string,
    { type: LeafType; text: string; ciphertext: string }
  >;
}

function openDocument(
  document: Record<string, unknown>,
  meta: SecretDocumentMetadata,
  keys: FileKeys,
): Opened {
  const leaves: Opened['leaves'] = new Map();
  const plain = mapLeaves(document, (value, path) => {
    const leaf = decryptValue(keys, path, value);
    leaves.set(JSON.stringify(path), { ...leaf, ciphertext: String(value) });
    return valueOf(leaf.type, leaf.text);
  }) as Record<string, unknown>;
  const expected = Buffer.from(computeMac(keys, document), 'base64');
  const actual = Buffer.from(meta.mac, 'base64');
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    throw new SecretFileError(
      'mac-mismatch',
      'the MAC of the secret document does not match: a value was added, removed or the MAC was edited',
    );
  }
  return { plain, leaves };
}

/**
 * Decrypt an encrypted secret document to a plain object, checking every
 * value against its key path and the MAC over the whole document.
 *
 * @throws SecretFileError `not-encrypted`, `invalid-format`, `no-usable-key`,
 *   `plaintext-value` (a value added in plaintext), `value-authentication`
 *   (a value modified or moved to another key path), `mac-mismatch` (a value
 *   deleted or the MAC changed).
 */
export async function decryptSecretDocument(
  document: Record<string, unknown>,
  options: SecretDocumentOptions,
): Promise<Record<string, unknown>> {
  const meta = metadataOf(document);
  const dataKey = await unwrapDataKey(meta, options.keyProvider);
  const keys = deriveKeys(dataKey);
  dataKey.fill(0);
  try {
    return openDocument(document, meta, keys).plain;
  } finally {
    zeroKeys(keys);
  }
}

/**
 * Encrypt a plain document: keys stay readable, each value becomes
 * `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]` with its key path as associated
 * data, and a `kenos` block holds the wrapped data key and the MAC. With
 * `previous` (the current encrypted version), its data key is kept and every
 * value that did not change keeps its ciphertext byte for byte.
 */
export async function encryptSecretDocument(
  plain: Record<string, unknown>,
  options: SecretDocumentOptions & {
    readonly previous?: Record<string, unknown>;
  },
): Promise<Record<string, unknown>> {
  if (!isPlainObject(plain))
    throw new SecretFileError(
      'invalid-format',
      'a secret document must be an object',
    );
  if (SECRET_METADATA_KEY in plain) {
    throw new SecretFileError(
      'already-encrypted',
      `the document already has a top-level "${SECRET_METADATA_KEY}" key`,
    );
  }
  let dataKey: Uint8Array;
  let wrappedKeys: readonly SecretDocumentKey[];
  let previous: (Opened & { meta: SecretDocumentMetadata }) | undefined;
  if (options.previous) {
    const meta = metadataOf(options.previous);
    dataKey = await unwrapDataKey(meta, options.keyProvider);
    wrappedKeys = meta.keys;
    const keys = deriveKeys(dataKey);
    try {
      previous = { ...openDocument(options.previous, meta, keys), meta };
    } finally {
      zeroKeys(keys);
    }
  } else {
    const generated =
      await options.keyProvider.generateDataKey(SECRET_FILE_CONTEXT);
    dataKey = generated.plaintextKey;
    wrappedKeys = [
      {
        provider: options.keyProvider.kind,
        keyId: generated.keyId,
        wrappedKey: Buffer.from(generated.wrappedKey).toString('base64'),
      },
    ];
  }
  const keys = deriveKeys(dataKey);
  dataKey.fill(0);
  try {
    const encrypted = mapLeaves(plain, (value, path) => {
      const leaf = leafOf(value, path);
      const before = previous?.leaves.get(JSON.stringify(path));
      if (before && before.type === leaf.type && before.text === leaf.text)
        return before.ciphertext;
      return encryptValue(keys, path, leaf.type, leaf.text);
    }) as Record<string, unknown>;
    const mac = computeMac(keys, encrypted);
    const metadata: SecretDocumentMetadata = {
      version: 1,
      keys: wrappedKeys,
      lastModified:
        previous && previous.meta.mac === mac
          ? previous.meta.lastModified
          : new Date().toISOString(),
      mac,
    };
    return { ...encrypted, [SECRET_METADATA_KEY]: metadata };
  } finally {
    zeroKeys(keys);
  }
}

/**
 * Rotate the data key of a secret document: decrypt it, then encrypt every
 * value again under a new data key wrapped by the provider's primary key.
 * Every ciphertext changes; copies of the old data key wrapped for other
 * providers are dropped.
 */
export async function rotateSecretDocument(
  document: Record<string, unknown>,
  options: SecretDocumentOptions,
): Promise<Record<string, unknown>> {
  return encryptSecretDocument(await decryptSecretDocument(document, options), {
    keyProvider: options.keyProvider,
  });
}

/**
 * Re-wrap the data key of a secret document for a new set of key providers
 * (their primary keys), e.g. add a KMS key next to a developer's local key
 * or move to a new primary. Values and MAC stay byte-identical.
 *
 * @param options.keyProvider opens the document now.
 * @param options.keyProviders wrap the data key in the result; each appears once.
 */
export async function updateSecretDocumentKeys(
  document: Record<string, unknown>,
  options: SecretDocumentOptions & {
    readonly keyProviders: readonly KeyProvider[];
  },
): Promise<Record<string, unknown>> {
  const meta = metadataOf(document);
  if (options.keyProviders.length === 0) {
    throw new SecretFileError(
      'invalid-format',
      'updateSecretDocumentKeys needs at least one key provider',
    );
  }
  const dataKey = await unwrapDataKey(meta, options.keyProvider);
  try {
    const keys = deriveKeys(dataKey);
    try {
      openDocument(document, meta, keys);
    } finally {
      zeroKeys(keys);
    }
    const wrapped: SecretDocumentKey[] = [];
    for (const provider of options.keyProviders) {
      const w = await provider.wrapDataKey(dataKey, SECRET_FILE_CONTEXT);
      wrapped.push({
        provider: provider.kind,
        keyId: w.keyId,
        wrappedKey: Buffer.from(w.wrappedKey).toString('base64'),
      });
    }
    return { ...document, [SECRET_METADATA_KEY]: { ...meta, keys: wrapped } };
  } finally {
    dataKey.fill(0);
  }
}
