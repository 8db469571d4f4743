import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
} from 'node:crypto';
import { SecretFileError } from './crypto-error.js';

/** The top-level key that holds the metadata of an encrypted secret document. */
export const SECRET_METADATA_KEY = 'kenos';

/** A key path: object keys and array indices from the document root. */
export type Path = Array<string | number>;
/** The type tag of an encrypted value. */
export type LeafType = 'str' | 'num' | 'bool' | 'null';
const VALUE =
  /^ENC\[AES256_GCM,data:([A-Za-z0-9+/=]*),iv:([A-Za-z0-9+/=]{16}),tag:([A-Za-z0-9+/=]{24}),type:(str|num|bool|null)\]$/;
const AAD_DOMAIN = 'kenos-secret-file/v1\0';

/** The value key and MAC key of a secret document, derived from its data key. */
export interface FileKeys {
  readonly enc: Buffer;
  readonly mac: Buffer;
}

export function deriveKeys(dataKey: Uint8Array): FileKeys {
  return {
    enc: Buffer.from(
      hkdfSync(
        'sha256',
        dataKey,
        Buffer.alloc(0),
        'kenos secret-file values v1',
        32,
      ),
    ),
    mac: Buffer.from(
      hkdfSync(
        'sha256',
        dataKey,
        Buffer.alloc(0),
        'kenos secret-file mac v1',
        32,
      ),
    ),
  };
}

export function zeroKeys(keys: FileKeys): void {
  keys.enc.fill(0);
  keys.mac.fill(0);
}

/** `db.password`, `hosts[0]`: how a key path is shown in errors. */
export function formatKeyPath(path: readonly (string | number)[]): string {
  return path
    .map((p, i) =>
      typeof p === 'number'
        ? `[${p}]`
        : /^[A-Za-z_$][\w$-]*$/.test(p)
          ? i
            ? `.${p}`
            : p
          : `[${JSON.stringify(p)}]`,
    )
    .join('');
}

export function isPlainObject(
  value: unknown,
): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function leafOf(
  value: unknown,
  path: Path,
): { type: LeafType; text: string } {
  if (typeof value === 'string') return { type: 'str', text: value };
  if (typeof value === 'number' && Number.isFinite(value))
    return { type: 'num', text: String(value) };
  if (typeof value === 'boolean') return { type: 'bool', text: String(value) };
  if (value === null) return { type: 'null', text: '' };
  throw new SecretFileError(
    'invalid-format',
    `unsupported value at ${formatKeyPath(path)}`,
    {
      keyPath: formatKeyPath(path),
    },
  );
}

export function valueOf(type: LeafType, text: string): unknown {
  switch (type) {
    case 'str':
      return text;
    case 'num':
      return Number(text);
    case 'bool':
      return text === 'true';
    case 'null':
      return null;
  }
}

/** Rebuild `tree` with every leaf replaced by `leaf(value, path)`. */
export function mapLeaves(
  tree: unknown,
  leaf: (value: unknown, path: Path) => unknown,
  path: Path = [],
): unknown {
  if (Array.isArray(tree))
    return tree.map((v, i) => mapLeaves(v, leaf, [...path, i]));
  if (isPlainObject(tree)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(tree)) {
      if (path.length === 0 && k === SECRET_METADATA_KEY) continue;
      out[k] = mapLeaves(v, leaf, [...path, k]);
    }
    return out;
  }
  return leaf(tree, path);
}

function aad(path: Path, type: LeafType): Buffer {
  return Buffer.from(`${AAD_DOMAIN}${JSON.stringify(path)}\0${type}`, 'utf8');
}

export function encryptValue(
  keys: FileKeys,
  path: Path,
  type: LeafType,
  text: string,
): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.enc, iv);
  cipher.setAAD(aad(path, type));
  const data = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return `ENC[AES256_GCM,data:${data.toString('base64')},iv:${iv.toString('base64')},tag:${cipher.getAuthTag().toString('base64')},type:${type}]`;
}

export function decryptValue(
  keys: FileKeys,
  path: Path,
  value: unknown,
): { type: LeafType; text: string } {
  const shown = formatKeyPath(path);
  const match = typeof value === 'string' ? VALUE.exec(value) : null;
  if (!match) {
    throw new SecretFileError(
      'plaintext-value',
      `the value at ${shown} is not encrypted; run kenos secrets encrypt`,
      {
        keyPath: shown,
      },
    );
  }
  const [, data = '', iv = '', tag = '', type = 'str'] = match;
  try {
    const decipher = createDecipheriv(
      'aes-256-gcm',
      keys.enc,
      Buffer.from(iv, 'base64'),
    );
    decipher.setAAD(aad(path, type as LeafType));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    const text = Buffer.concat([
      decipher.update(Buffer.from(data, 'base64')),
      decipher.final(),
    ]).toString('utf8');
    return { type: type as LeafType, text };
  } catch {
    throw new SecretFileError(
      'value-authentication',
      `the value at ${shown} does not authenticate: it was modified or moved from another key path`,
      { keyPath: shown },
    );
  }
}

export function computeMac(keys: FileKeys, encrypted: unknown): string {
  const entries: Array<[string, string]> = [];
  mapLeaves(encrypted, (value, path) => {
    entries.push([JSON.stringify(path), String(value)]);
    return value;
  });
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const hmac = createHmac('sha256', keys.mac);
  hmac.update('kenos-secret-file/v1\0');
  for (const [path, value] of entries) {
    for (const part of [path, value]) {
      const bytes = Buffer.from(part, 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length);
      hmac.update(length).update(bytes);
    }
  }
  return hmac.digest('base64');
}
