import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  addLocalKey,
  ciphertextKeyId,
  createEnvelope,
  createLocalKeyProvider,
  CryptoError,
  DecryptionError,
  generateLocalKey,
} from '../src/index.js';
import { rejection } from './helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kenos-crypto-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ctx = { purpose: 'test' };

describe('local key files', () => {
  it('generates a key file with mode 0600 and refuses to overwrite it', async () => {
    const path = join(dir, 'dev.key.json');
    const { keyId } = await generateLocalKey(path);
    expect(keyId).toMatch(/^local-\d{8}-[0-9a-f]{8}$/);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const before = await readFile(path, 'utf8');
    const error = (await rejection(generateLocalKey(path))) as CryptoError;
    expect(error.code).toBe('KENOS_ERR_CRYPTO_KEY_FILE_EXISTS');
    expect(await readFile(path, 'utf8')).toBe(before);
    const provider = createLocalKeyProvider({ keyFile: path });
    expect(provider.primaryKeyId).toBe(keyId);
  });

  it('creates the missing parent directories of a new key file with mode 0700', async () => {
    const path = join(dir, 'repo', '.kenos', 'dev.key');
    await generateLocalKey(path);
    expect((await stat(join(dir, 'repo'))).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, 'repo', '.kenos'))).mode & 0o777).toBe(0o700);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('rejects a missing or malformed key file with KENOS_ERR_CRYPTO_KEY_FILE', async () => {
    const bad = join(dir, 'bad.json');
    for (const content of [
      'nope',
      '{"version":2,"primary":"a","keys":[]}',
      '{"version":1,"primary":"a","keys":[{"id":"a","key":"c2hvcnQ="}]}',
      '{"version":1,"primary":"b","keys":[{"id":"a","key":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}]}',
    ]) {
      await writeFile(bad, content);
      expect(() => createLocalKeyProvider({ keyFile: bad })).toThrow(
        expect.objectContaining({ code: 'KENOS_ERR_CRYPTO_KEY_FILE' }),
      );
    }
    expect(() =>
      createLocalKeyProvider({ keyFile: join(dir, 'missing.json') }),
    ).toThrow(expect.objectContaining({ code: 'KENOS_ERR_CRYPTO_KEY_FILE' }));
  });

  it('refuses to start in production unless allowed', () => {
    vi.stubEnv('KENOS_ENV', 'production');
    try {
      expect(() =>
        createLocalKeyProvider({
          keys: [{ id: 'k', key: Buffer.alloc(32, 1) }],
        }),
      ).toThrow(
        expect.objectContaining({
          code: 'KENOS_ERR_CRYPTO_LOCAL_KEY_IN_PRODUCTION',
        }),
      );
      expect(
        createLocalKeyProvider({
          keys: [{ id: 'k', key: Buffer.alloc(32, 1) }],
          allowInProduction: true,
        }).kind,
      ).toBe('local');
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('refuses to wrap a data key that is not 32 bytes', async () => {
    const provider = createLocalKeyProvider({
      keys: [{ id: 'k', key: Buffer.alloc(32, 1) }],
    });
    await expect(
      provider.wrapDataKey(new Uint8Array(31), ctx),
    ).rejects.toMatchObject({ code: 'KENOS_ERR_CRYPTO_INVALID_ARGUMENT' });
    await provider.close();
  });
});

describe('rotation with a local key file', () => {
  it('encrypts with the new primary, decrypts old ciphertexts, and re-wraps them to the new primary', async () => {
    const path = join(dir, 'rotate.key.json');
    const { keyId: oldId } = await generateLocalKey(path);
    const before = createEnvelope({
      keyProvider: createLocalKeyProvider({ keyFile: path }),
    });
    const oldCt = await before.encryptString('card', ctx);
    await before.close();

    const { keyId: newId } = await addLocalKey(path);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const provider = createLocalKeyProvider({ keyFile: path });
    expect(provider.primaryKeyId).toBe(newId);
    const after = createEnvelope({ keyProvider: provider });
    expect(ciphertextKeyId(await after.encryptString('x', ctx))).toBe(newId);
    expect(await after.decryptString(oldCt, ctx)).toBe('card');

    const rewrapped = await after.reWrapString(oldCt, ctx);
    expect(ciphertextKeyId(oldCt)).toBe(oldId);
    expect(ciphertextKeyId(rewrapped)).toBe(newId);
    // payload, IV and tag are unchanged: the suffix of both ciphertexts is the same
    const tail = (t: string): string =>
      Buffer.from(t.slice(9), 'base64url')
        .subarray(-(12 + 4 + 16))
        .toString('hex');
    expect(tail(rewrapped)).toBe(tail(oldCt));
    expect(await after.decryptString(rewrapped, ctx)).toBe('card');

    // a provider with only the new key reads the re-wrapped ciphertext, not the old one
    const file = JSON.parse(await readFile(path, 'utf8')) as {
      keys: Array<{ id: string; key: string }>;
    };
    const onlyNew = createEnvelope({
      keyProvider: createLocalKeyProvider({
        keys: file.keys.filter((k) => k.id === newId),
      }),
    });
    expect(await onlyNew.decryptString(rewrapped, ctx)).toBe('card');
    expect(await rejection(onlyNew.decryptString(oldCt, ctx))).toBeInstanceOf(
      DecryptionError,
    );
    expect(
      await rejection(after.reWrapString(oldCt, { purpose: 'other' })),
    ).toBeInstanceOf(DecryptionError);
    await Promise.all([after.close(), onlyNew.close()]);
  });

  it('zeroes its keys on close and then refuses to work', async () => {
    const provider = createLocalKeyProvider({
      keys: [{ id: 'k', key: Buffer.alloc(32, 7) }],
    });
    await provider.close();
    expect(
      ((await rejection(provider.generateDataKey(ctx))) as CryptoError).code,
    ).toBe('KENOS_ERR_CRYPTO_CLOSED');
  });
});
