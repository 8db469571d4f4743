import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CryptoError } from './crypto-error.js';
import { DATA_KEY_BYTES } from './key-provider.js';

/** Parsed key file: key id → 32-byte key, and the primary key id. */
export interface LocalKeyMaterial {
  readonly primary: string;
  readonly keys: Map<string, Buffer>;
}

/** The JSON shape of a local key file (version 1). */
interface LocalKeyFileJson {
  version: 1;
  primary: string;
  keys: Array<{ id: string; key: string; createdAt?: string }>;
}

const KEY_ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;

/** Parse and validate the text of a local key file. */
export function parseLocalKeyFile(
  text: string,
  source: string,
): LocalKeyMaterial {
  const fail = (why: string): CryptoError =>
    new CryptoError(
      'KENOS_ERR_CRYPTO_KEY_FILE',
      `invalid local key file ${source}: ${why}`,
    );
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw fail('not JSON');
  }
  const file = json as Partial<LocalKeyFileJson> | null;
  if (!file || typeof file !== 'object' || file.version !== 1)
    throw fail('"version" must be 1');
  if (!Array.isArray(file.keys) || file.keys.length === 0)
    throw fail('"keys" must be a non-empty array');
  const keys = new Map<string, Buffer>();
  for (const entry of file.keys) {
    if (!entry || typeof entry.id !== 'string' || !KEY_ID.test(entry.id)) {
      throw fail(
        'every key needs an "id" of 1-128 characters [A-Za-z0-9._:/-]',
      );
    }
    const key =
      typeof entry.key === 'string'
        ? Buffer.from(entry.key, 'base64')
        : Buffer.alloc(0);
    if (key.length !== DATA_KEY_BYTES || key.toString('base64') !== entry.key) {
      throw fail(`key "${entry.id}" must be 32 bytes in base64`);
    }
    if (keys.has(entry.id)) throw fail(`key id "${entry.id}" appears twice`);
    keys.set(entry.id, key);
  }
  if (typeof file.primary !== 'string' || !keys.has(file.primary)) {
    throw fail('"primary" must name one of the keys');
  }
  return { primary: file.primary, keys };
}

function newKeyId(): string {
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '');
  return `local-${day}-${randomBytes(4).toString('hex')}`;
}

/**
 * Write a new local development key file at `path` with one random 256-bit
 * key (its primary), file mode 0600. Missing parent directories are created
 * with mode 0700 (e.g. `.kenos/`). Never overwrites an existing file.
 *
 * @returns the id of the new key.
 * @throws CryptoError `KENOS_ERR_CRYPTO_KEY_FILE_EXISTS` when `path` exists.
 */
export async function generateLocalKey(
  path: string,
  options: { keyId?: string } = {},
): Promise<{ keyId: string }> {
  const keyId = options.keyId ?? newKeyId();
  if (!KEY_ID.test(keyId)) {
    throw new CryptoError(
      'KENOS_ERR_CRYPTO_INVALID_ARGUMENT',
      'a key id has 1-128 characters [A-Za-z0-9._:/-]',
    );
  }
  const file: LocalKeyFileJson = {
    version: 1,
    primary: keyId,
    keys: [
      {
        id: keyId,
        key: randomBytes(DATA_KEY_BYTES).toString('base64'),
        createdAt: new Date().toISOString(),
      },
    ],
  };
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  } catch (cause) {
    throw new CryptoError(
      'KENOS_ERR_CRYPTO_KEY_FILE',
      `cannot create the directory of the local key file ${path}`,
      { cause },
    );
  }
  let handle;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new CryptoError(
        'KENOS_ERR_CRYPTO_KEY_FILE_EXISTS',
        `${path} already exists; refusing to overwrite a key file`,
        {
          cause,
        },
      );
    }
    throw new CryptoError(
      'KENOS_ERR_CRYPTO_KEY_FILE',
      `cannot create the local key file ${path}`,
      { cause },
    );
  }
  try {
    await handle.writeFile(`${JSON.stringify(file, null, 2)}\n`);
  } finally {
    await handle.close();
  }
  return { keyId };
}

/**
 * Rotation of a local key file: add a new random key and make it the
 * primary; older keys stay so existing ciphertexts still decrypt. The file
 * is replaced atomically with mode 0600.
 *
 * @returns the id of the new primary key.
 */
export async function addLocalKey(
  path: string,
  options: { keyId?: string } = {},
): Promise<{ keyId: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new CryptoError(
      'KENOS_ERR_CRYPTO_KEY_FILE',
      `cannot read the local key file ${path}`,
      { cause },
    );
  }
  parseLocalKeyFile(text, path);
  const file = JSON.parse(text) as LocalKeyFileJson;
  const keyId = options.keyId ?? newKeyId();
  if (!KEY_ID.test(keyId) || file.keys.some((k) => k.id === keyId)) {
    throw new CryptoError(
      'KENOS_ERR_CRYPTO_INVALID_ARGUMENT',
      `key id "${keyId}" is invalid or already in ${path}`,
    );
  }
  file.keys.push({
    id: keyId,
    key: randomBytes(DATA_KEY_BYTES).toString('base64'),
    createdAt: new Date().toISOString(),
  });
  file.primary = keyId;
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, `${JSON.stringify(file, null, 2)}\n`, {
    mode: 0o600,
    flag: 'wx',
  });
  await rename(tmp, path);
  return { keyId };
}
