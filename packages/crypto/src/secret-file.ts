import { randomBytes } from 'node:crypto';
import {
  chmod,
  mkdtemp,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import {
  LineCounter,
  YAMLParseError,
  parse as parseYaml,
  stringify as stringifyYaml,
} from 'yaml';
import { SecretFileError } from './crypto-error.js';
import type { KeyProvider } from './key-provider.js';
import { overlayYaml } from './yaml-overlay.js';
import {
  SECRET_METADATA_KEY,
  decryptSecretDocument,
  encryptSecretDocument,
  isEncryptedSecretDocument,
  rotateSecretDocument,
  updateSecretDocumentKeys,
  type SecretDocumentOptions,
} from './secret-document.js';

/** The text formats of secret files. */
export type SecretFileFormat = 'json' | 'yaml';

/** Options of the secret file functions. */
export interface SecretFileOptions extends SecretDocumentOptions {
  /** The file format. Default from the extension (`.json` → json, `.yaml`/`.yml` → yaml). */
  readonly format?: SecretFileFormat;
}

/** The format of `path` from its extension. */
export function secretFileFormat(
  path: string,
  format?: SecretFileFormat,
): SecretFileFormat {
  if (format) return format;
  const ext = extname(path).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  throw new SecretFileError(
    'invalid-format',
    `cannot tell the format of ${path}: use .json, .yaml or .yml`,
  );
}

/** ` at line L, column C: reason` of a YAML parse error; `: reason` for JSON (Node's message names line and column). */
function parseProblem(cause: unknown, lines: LineCounter): string {
  if (cause instanceof YAMLParseError) {
    const { line, col } = lines.linePos(cause.pos[0]);
    return ` at line ${line}, column ${col}: ${cause.message}`;
  }
  return `: ${cause instanceof Error ? cause.message : String(cause)}`;
}

/** Parse the text of a secret file (plain or encrypted) to an object. */
export function parseSecretDocument(
  text: string,
  format: SecretFileFormat,
): Record<string, unknown> {
  let value: unknown;
  const lines = new LineCounter();
  try {
    value =
      format === 'json'
        ? JSON.parse(text)
        : parseYaml(text, { lineCounter: lines, prettyErrors: false });
  } catch (cause) {
    throw new SecretFileError(
      'invalid-format',
      `the ${format} of the secret file does not parse${parseProblem(cause, lines)}`,
      { cause },
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SecretFileError(
      'invalid-format',
      'a secret file must hold a mapping at the top level',
    );
  }
  return value as Record<string, unknown>;
}

/** Serialise a secret document (plain or encrypted) in `format`; ends with a newline. */
export function serializeSecretDocument(
  document: Record<string, unknown>,
  format: SecretFileFormat,
): string {
  return format === 'json'
    ? `${JSON.stringify(document, null, 2)}\n`
    : stringifyYaml(document, { lineWidth: 0 });
}

interface ReadDocument {
  readonly text: string;
  readonly document: Record<string, unknown>;
}

async function readDocument(
  path: string,
  format: SecretFileFormat,
): Promise<ReadDocument> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new SecretFileError(
      'invalid-format',
      `cannot read the secret file ${path}`,
      { cause },
    );
  }
  try {
    return { text, document: parseSecretDocument(text, format) };
  } catch (error) {
    if (error instanceof SecretFileError)
      error.message = `${path}: ${error.message}`;
    throw error;
  }
}

/**
 * Serialise `document`; for YAML, on top of `sourceText` when given, so that
 * comments, key order and scalar styles of the source survive.
 */
function render(
  format: SecretFileFormat,
  document: Record<string, unknown>,
  sourceText?: string,
): string {
  if (format === 'yaml' && sourceText !== undefined) {
    const { [SECRET_METADATA_KEY]: metadata, ...values } = document;
    const text = overlayYaml(sourceText, values, SECRET_METADATA_KEY, metadata);
    if (text !== undefined) return text;
  }
  return serializeSecretDocument(document, format);
}

/** Replace `path` atomically, keeping its mode (0644 for a new file). */
async function writeAtomically(path: string, text: string): Promise<void> {
  const mode = await stat(path).then(
    (s) => s.mode & 0o777,
    () => 0o644,
  );
  const tmp = join(
    dirname(path),
    `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  await writeFile(tmp, text, { mode, flag: 'wx' });
  try {
    await chmod(tmp, mode);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

function withPath<T>(path: string, promise: Promise<T>): Promise<T> {
  return promise.catch((error: unknown) => {
    if (error instanceof SecretFileError && !error.message.includes(path)) {
      error.message = `${path}: ${error.message}`;
    }
    throw error;
  });
}

/**
 * Read and decrypt a secret file (JSON or YAML) to a plain object: what a
 * service loads at startup.
 *
 * @throws SecretFileError when the file is not encrypted or fails a check.
 */
export async function loadSecretFile(
  path: string,
  options: SecretFileOptions,
): Promise<Record<string, unknown>> {
  const format = secretFileFormat(path, options.format);
  return withPath(
    path,
    decryptSecretDocument((await readDocument(path, format)).document, options),
  );
}

/** Decrypt a secret file to its plaintext text in the same format (`kenos secrets decrypt FILE`). */
export async function decryptSecretFile(
  path: string,
  options: SecretFileOptions,
): Promise<string> {
  const format = secretFileFormat(path, options.format);
  const { text, document } = await readDocument(path, format);
  return render(
    format,
    await withPath(path, decryptSecretDocument(document, options)),
    text,
  );
}

/**
 * Encrypt a plaintext secret file in place (`kenos secrets encrypt FILE`).
 *
 * @throws SecretFileError `already-encrypted` when the file is already encrypted.
 */
export async function encryptSecretFile(
  path: string,
  options: SecretFileOptions,
): Promise<void> {
  const format = secretFileFormat(path, options.format);
  const { text, document: plain } = await readDocument(path, format);
  if (isEncryptedSecretDocument(plain)) {
    throw new SecretFileError(
      'already-encrypted',
      `${path} is already encrypted`,
    );
  }
  const encrypted = await withPath(path, encryptSecretDocument(plain, options));
  await writeAtomically(path, render(format, encrypted, text));
}

/**
 * Write `plain` encrypted to `path`. When `path` already holds an encrypted
 * document, its data key is kept and unchanged values keep their ciphertext,
 * so the diff shows only what changed.
 */
export async function writeSecretFile(
  path: string,
  plain: Record<string, unknown>,
  options: SecretFileOptions,
): Promise<void> {
  await writeEncrypted(
    path,
    plain,
    secretFileFormat(path, options.format),
    options.keyProvider,
    undefined,
  );
}

async function writeEncrypted(
  path: string,
  plain: Record<string, unknown>,
  format: SecretFileFormat,
  keyProvider: KeyProvider,
  plaintextText: string | undefined,
): Promise<void> {
  const existing = await readFile(path, 'utf8').then(
    (text) => ({ text, document: parseSecretDocument(text, format) }),
    () => undefined,
  );
  const previous =
    existing && isEncryptedSecretDocument(existing.document)
      ? existing
      : undefined;
  const encrypted = await withPath(
    path,
    encryptSecretDocument(plain, {
      keyProvider,
      ...(previous ? { previous: previous.document } : {}),
    }),
  );
  await writeAtomically(
    path,
    render(format, encrypted, plaintextText ?? previous?.text),
  );
}

/**
 * Edit a secret file in plaintext (`kenos secrets edit FILE`): the file is
 * decrypted into a private temporary directory (mode 0700, file 0600),
 * `edit` is called with that path (e.g. to run `$EDITOR` on it), and the
 * result is encrypted back with unchanged values keeping their ciphertext.
 * The temporary directory is removed afterwards, also on error.
 *
 * @returns whether the file changed.
 */
export async function editSecretFile(
  path: string,
  options: SecretFileOptions & {
    readonly edit: (plaintextPath: string) => Promise<void>;
  },
): Promise<boolean> {
  const format = secretFileFormat(path, options.format);
  const before = await decryptSecretFile(path, { ...options, format });
  const dir = await mkdtemp(join(tmpdir(), 'kenos-secrets-'));
  try {
    await chmod(dir, 0o700);
    const plaintextPath = join(dir, basename(path));
    await writeFile(plaintextPath, before, { mode: 0o600, flag: 'wx' });
    await options.edit(plaintextPath);
    const after = await readFile(plaintextPath, 'utf8');
    if (after === before) return false;
    await writeEncrypted(
      path,
      parseSecretDocument(after, format),
      format,
      options.keyProvider,
      after,
    );
    return true;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Give a secret file a new data key; every value is encrypted again (`kenos secrets rotate FILE`). */
export async function rotateSecretFile(
  path: string,
  options: SecretFileOptions,
): Promise<void> {
  const format = secretFileFormat(path, options.format);
  const { text, document } = await readDocument(path, format);
  const rotated = await withPath(path, rotateSecretDocument(document, options));
  await writeAtomically(path, render(format, rotated, text));
}

/**
 * Wrap the data key of a secret file for `keyProviders` (their primary keys)
 * instead of the current list (`kenos secrets updatekeys FILE`); values stay
 * byte-identical.
 */
export async function updateSecretFileKeys(
  path: string,
  options: SecretFileOptions & {
    readonly keyProviders: readonly KeyProvider[];
  },
): Promise<void> {
  const format = secretFileFormat(path, options.format);
  const { text, document } = await readDocument(path, format);
  const updated = await withPath(
    path,
    updateSecretDocumentKeys(document, options),
  );
  await writeAtomically(path, render(format, updated, text));
}
