import {
  access,
  mkdtemp,
  readFile,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  decryptSecretFile,
  editSecretFile,
  encryptSecretFile,
  loadSecretFile,
  rotateSecretFile,
  SecretFileError,
  updateSecretFileKeys,
  writeSecretFile,
  type KeyProvider,
} from '../src/index.js';
import { localProvider, rejection } from './helpers.js';

const plain = {
  db: { user: 'app', password: 's3cr3t-pw', port: 5432, tls: true },
  apiKeys: ['key-one', 'key-two'],
  optional: null,
  empty: '',
};

let dir: string;
let provider: KeyProvider;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kenos-secrets-test-'));
  provider = localProvider('dev-1');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let n = 0;
async function encryptedFile(
  ext: 'json' | 'yaml',
  content: object = plain,
): Promise<string> {
  const path = join(dir, `secrets-${n++}.${ext}`);
  await writeFile(
    path,
    ext === 'json' ? JSON.stringify(content) : JSON.stringify(content),
  ); // JSON is valid YAML
  await encryptSecretFile(path, { keyProvider: provider });
  return path;
}

// tests reach into parsed documents freely
type Doc = Record<string, any>;

async function readJson(path: string): Promise<Doc> {
  return JSON.parse(await readFile(path, 'utf8')) as Doc;
}

async function failure(
  path: string,
  keyProvider = provider,
): Promise<SecretFileError> {
  const error = await rejection(loadSecretFile(path, { keyProvider }));
  expect(error).toBeInstanceOf(SecretFileError);
  return error as SecretFileError;
}

describe.each(['json', 'yaml'] as const)('secret files (%s)', (ext) => {
  it('keeps keys readable, encrypts every value, and loads back the same object', async () => {
    const path = await encryptedFile(ext);
    const text = await readFile(path, 'utf8');
    const doc = (ext === 'json' ? JSON.parse(text) : parseYaml(text)) as Doc;
    expect(Object.keys(doc)).toEqual([
      'db',
      'apiKeys',
      'optional',
      'empty',
      'kenos',
    ]);
    expect(doc['db'].password).toMatch(/^ENC\[AES256_GCM,data:.*,type:str\]$/);
    expect(doc['db'].port).toMatch(/type:num\]$/);
    expect(text).not.toContain('s3cr3t-pw');
    expect(text).not.toContain('key-one');
    expect(doc['kenos']).toMatchObject({
      version: 1,
      keys: [{ provider: 'local', keyId: 'dev-1' }],
    });
    expect(await loadSecretFile(path, { keyProvider: provider })).toEqual(
      plain,
    );
    expect(await decryptSecretFile(path, { keyProvider: provider })).toContain(
      's3cr3t-pw',
    );
  });
});

describe('secret file edits', () => {
  it('keeps the ciphertext of unchanged values byte-identical when re-encrypting an edit', async () => {
    const path = await encryptedFile('json');
    const before = await readJson(path);
    await writeSecretFile(
      path,
      { ...plain, db: { ...plain.db, password: 'new-pw' }, added: 'x' },
      { keyProvider: provider },
    );
    const after = await readJson(path);
    expect(after['db'].user).toBe(before['db'].user);
    expect(after['db'].port).toBe(before['db'].port);
    expect(after['apiKeys']).toEqual(before['apiKeys']);
    expect(after['db'].password).not.toBe(before['db'].password);
    expect(after['kenos'].keys).toEqual(before['kenos'].keys);
    expect(after['kenos'].mac).not.toBe(before['kenos'].mac);
    expect(
      (await loadSecretFile(path, { keyProvider: provider }))['added'],
    ).toBe('x');

    // writing the same content again changes nothing at all
    const text = await readFile(path, 'utf8');
    await writeSecretFile(
      path,
      await loadSecretFile(path, { keyProvider: provider }),
      { keyProvider: provider },
    );
    expect(await readFile(path, 'utf8')).toBe(text);
  });

  it('edits through a private temporary file that is removed afterwards', async () => {
    const path = await encryptedFile('yaml');
    let seen = '';
    const changed = await editSecretFile(path, {
      keyProvider: provider,
      edit: async (plaintextPath) => {
        seen = plaintextPath;
        expect((await stat(plaintextPath)).mode & 0o777).toBe(0o600);
        expect((await stat(join(plaintextPath, '..'))).mode & 0o777).toBe(
          0o700,
        );
        const text = await readFile(plaintextPath, 'utf8');
        await writeFile(plaintextPath, text.replace('s3cr3t-pw', 'edited-pw'));
      },
    });
    expect(changed).toBe(true);
    await expect(access(seen)).rejects.toThrow();
    expect(
      (await loadSecretFile(path, { keyProvider: provider }))['db'],
    ).toMatchObject({ password: 'edited-pw' });
    expect(
      await editSecretFile(path, {
        keyProvider: provider,
        edit: async () => undefined,
      }),
    ).toBe(false);
  });

  it('refuses to encrypt a file twice', async () => {
    const path = await encryptedFile('json');
    expect(
      await rejection(encryptSecretFile(path, { keyProvider: provider })),
    ).toMatchObject({
      code: 'KENOS_ERR_CRYPTO_SECRET_FILE',
      reason: 'already-encrypted',
    });
  });
});

describe('secret file tampering', () => {
  it('rejects a value moved to another key path', async () => {
    const path = await encryptedFile('json');
    const doc = await readJson(path);
    doc['db'].user = doc['db'].password;
    await writeFile(path, JSON.stringify(doc));
    expect(await failure(path)).toMatchObject({
      reason: 'value-authentication',
      keyPath: 'db.user',
    });
  });

  it('rejects two swapped array values', async () => {
    const path = await encryptedFile('json');
    const doc = await readJson(path);
    doc['apiKeys'].reverse();
    await writeFile(path, JSON.stringify(doc));
    expect(await failure(path)).toMatchObject({
      reason: 'value-authentication',
      keyPath: 'apiKeys[0]',
    });
  });

  it('rejects a deleted value', async () => {
    const path = await encryptedFile('json');
    const doc = await readJson(path);
    delete doc['db'].tls;
    await writeFile(path, JSON.stringify(doc));
    expect(await failure(path)).toMatchObject({ reason: 'mac-mismatch' });
  });

  it('rejects an added plaintext value', async () => {
    const path = await encryptedFile('json');
    const doc = await readJson(path);
    doc['db'].host = 'evil.example';
    await writeFile(path, JSON.stringify(doc));
    expect(await failure(path)).toMatchObject({
      reason: 'plaintext-value',
      keyPath: 'db.host',
    });
  });

  it('rejects a changed MAC and a changed value type', async () => {
    const path = await encryptedFile('json');
    const doc = await readJson(path);
    const mac = Buffer.from(doc['kenos'].mac, 'base64');
    mac[0] = (mac[0] ?? 0) ^ 1;
    await writeFile(
      path,
      JSON.stringify({
        ...doc,
        kenos: { ...doc['kenos'], mac: mac.toString('base64') },
      }),
    );
    expect(await failure(path)).toMatchObject({ reason: 'mac-mismatch' });
    doc['db'].port = String(doc['db'].port).replace('type:num', 'type:str');
    await writeFile(path, JSON.stringify(doc));
    expect(await failure(path)).toMatchObject({
      reason: 'value-authentication',
      keyPath: 'db.port',
    });
  });

  it('rejects a file whose data key no key of the provider opens', async () => {
    const path = await encryptedFile('json');
    expect(await failure(path, localProvider('dev-1'))).toMatchObject({
      reason: 'no-usable-key',
    });
  });
});

describe('secret file keys', () => {
  it('rotates to a new data key: every ciphertext changes, the content does not', async () => {
    const path = await encryptedFile('json');
    const before = await readJson(path);
    await rotateSecretFile(path, { keyProvider: provider });
    const after = await readJson(path);
    expect(after['db'].password).not.toBe(before['db'].password);
    expect(after['kenos'].keys[0].wrappedKey).not.toBe(
      before['kenos'].keys[0].wrappedKey,
    );
    expect(await loadSecretFile(path, { keyProvider: provider })).toEqual(
      plain,
    );
  });

  it('updates the keys that wrap the data key without touching the values', async () => {
    const path = await encryptedFile('json');
    const before = await readJson(path);
    const teammate = localProvider('teammate-1');
    await updateSecretFileKeys(path, {
      keyProvider: provider,
      keyProviders: [provider, teammate],
    });
    const after = await readJson(path);
    expect(after['kenos'].keys.map((k: { keyId: string }) => k.keyId)).toEqual([
      'dev-1',
      'teammate-1',
    ]);
    expect({ ...after, kenos: undefined }).toEqual({
      ...before,
      kenos: undefined,
    });
    expect(after['kenos'].mac).toBe(before['kenos'].mac);
    expect(await loadSecretFile(path, { keyProvider: teammate })).toEqual(
      plain,
    );
    expect(await loadSecretFile(path, { keyProvider: provider })).toEqual(
      plain,
    );
  });
});

describe('YAML secret files', () => {
  const source = [
    '# database credentials for local development',
    'db:',
    '  user: app # the service account',
    '  password: "s3cr3t-pw"',
    '  port: 5432',
    'hosts:',
    '  - a.internal',
    '  - b.internal',
    'note: |',
    '  line one',
    '  line two',
    '',
  ].join('\n');

  it('keeps comments, key order and styles through encrypt, edit and decrypt', async () => {
    const path = join(dir, 'commented.yaml');
    await writeFile(path, source);
    await encryptSecretFile(path, { keyProvider: provider });
    const encrypted = await readFile(path, 'utf8');
    expect(encrypted).toContain('# database credentials for local development');
    expect(encrypted).toContain('# the service account');
    expect(encrypted).not.toContain('s3cr3t-pw');
    expect(await decryptSecretFile(path, { keyProvider: provider })).toBe(
      source,
    );

    await editSecretFile(path, {
      keyProvider: provider,
      edit: async (p) => {
        const text = await readFile(p, 'utf8');
        await writeFile(p, text.replace('port: 5432', 'port: 5433 # moved'));
      },
    });
    const edited = await readFile(path, 'utf8');
    expect(edited).toContain('# moved');
    const changed = encrypted
      .split('\n')
      .filter((line, i) => line !== edited.split('\n')[i]);
    expect(changed.map((line) => line.trim().split(':')[0])).toEqual([
      'port',
      'lastModified',
      'mac',
    ]);
    expect(await loadSecretFile(path, { keyProvider: provider })).toEqual({
      db: { user: 'app', password: 's3cr3t-pw', port: 5433 },
      hosts: ['a.internal', 'b.internal'],
      note: 'line one\nline two\n',
    });
  });
});
