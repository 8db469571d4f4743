import {
  CreateAliasCommand,
  CreateKeyCommand,
  ScheduleKeyDeletionCommand,
  DecryptCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  KMSClient,
} from '@aws-sdk/client-kms';
import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  it,
  vi,
} from 'vitest';
import { parseCiphertext } from '../src/ciphertext-format.js';
import {
  ciphertextKeyId,
  createEnvelope,
  createKmsKeyProvider,
  DecryptionError,
  KeyProviderError,
  type Envelope,
  type KeyProvider,
  type KmsKeyProviderOptions,
  encryptSecretFile,
  loadSecretFile,
  SecretFileError,
  updateSecretFileKeys,
} from '../src/index.js';
import { startKmsLocal, type KmsLocal } from '../src/kms-local/index.js';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rejection } from './helpers.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const ctx = { table: 'payments', column: 'pan' };

let kms: KmsLocal;
let sdk: KMSClient;
let keyA: string; // ARN
let keyB: string; // ARN
let keyC: string; // ARN, never listed
const closers: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  kms = await startKmsLocal();
  sdk = new KMSClient({
    endpoint: kms.url,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
  });
  const make = async (): Promise<string> => {
    const out = await sdk.send(new CreateKeyCommand({}));
    return out.KeyMetadata?.Arn ?? '';
  };
  [keyA, keyB, keyC] = [await make(), await make(), await make()];
  await sdk.send(
    new CreateAliasCommand({ AliasName: 'alias/payments', TargetKeyId: keyA }),
  );
});

afterAll(async () => {
  await Promise.all(closers.splice(0).map((c) => c.close()));
  sdk.destroy();
  await kms.stop();
});

afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c.close()));
  kms.setFaults({});
  kms.resetStats();
});

function provider(
  keyIds: string[],
  extra: Partial<KmsKeyProviderOptions> = {},
): KeyProvider {
  const p = createKmsKeyProvider({
    keyIds,
    clientConfig: { endpoint: kms.url, region: 'us-east-1', credentials },
    ...extra,
  });
  closers.push(p);
  return p;
}

function envelope(keyProvider: KeyProvider, cache?: false): Envelope {
  const e = createEnvelope({
    keyProvider,
    ...(cache === false ? { cache } : {}),
  });
  closers.push(e);
  return e;
}

const calls = (op: string): number => kms.stats().calls[op] ?? 0;

describe('KMS key provider against kms-local with the real AWS SDK', () => {
  it('round-trips through an alias, names the key ARN, and binds the context as KMS EncryptionContext', async () => {
    const e = envelope(provider(['alias/payments']));
    const ct = await e.encrypt('4111111111111111', ctx);
    expect(ciphertextKeyId(ct)).toBe(keyA);
    expect(Buffer.from(await e.decrypt(ct, ctx)).toString()).toBe(
      '4111111111111111',
    );

    const wrapped = parseCiphertext(ct).wrappedKey;
    const direct = await sdk.send(
      new DecryptCommand({ CiphertextBlob: wrapped, EncryptionContext: ctx }),
    );
    expect(direct.Plaintext?.length).toBe(32);
    expect(
      (
        await rejection(
          sdk.send(new DecryptCommand({ CiphertextBlob: wrapped })),
        )
      ).name,
    ).toBe('InvalidCiphertextException');

    // a fresh reader with a cold cache asks KMS, which refuses the wrong context
    const reader = envelope(provider(['alias/payments']));
    expect(
      await rejection(reader.decrypt(ct, { ...ctx, column: 'cvv' })),
    ).toBeInstanceOf(DecryptionError);
    expect(calls('Decrypt')).toBeGreaterThanOrEqual(2);
  });

  it(
    'makes 1 GenerateDataKey for 10,000 encryptions and 1 Decrypt for their 10,000 decryptions, counted at the server',
    { timeout: 120_000 },
    async () => {
      const writer = envelope(provider([keyA]));
      const cts: Uint8Array[] = [];
      for (let i = 0; i < 10_000; i++)
        cts.push(await writer.encrypt(`v${i}`, ctx));
      const reader = envelope(provider([keyA]));
      for (const ct of cts) await reader.decrypt(ct, ctx);
      expect(calls('GenerateDataKey')).toBe(1);
      expect(calls('Decrypt')).toBe(1);
    },
  );

  it('shares one KMS call among concurrent misses', async () => {
    kms.setFaults({ latencyMs: 50 });
    const e = envelope(provider([keyA]));
    const cts = await Promise.all(
      Array.from({ length: 100 }, (_, i) => e.encrypt(`v${i}`, ctx)),
    );
    const reader = envelope(provider([keyA]));
    await Promise.all(cts.map((ct) => reader.decrypt(ct, ctx)));
    expect(calls('GenerateDataKey')).toBe(1);
    expect(calls('Decrypt')).toBe(1);
  });

  it('rejects each bit-flipped byte and every truncation of a short ciphertext with DecryptionError', async () => {
    const e = envelope(provider([keyA]));
    const ct = await e.encrypt('secret', ctx);
    for (let i = 0; i < ct.length; i++) {
      const flipped = Buffer.from(ct);
      flipped[i] = (flipped[i] ?? 0) ^ (1 << i % 8);
      expect(await rejection(e.decrypt(flipped, ctx))).toBeInstanceOf(
        DecryptionError,
      );
    }
    for (let length = 0; length < ct.length; length++) {
      expect(
        await rejection(e.decrypt(ct.subarray(0, length), ctx)),
      ).toBeInstanceOf(DecryptionError);
    }
  });

  it('rejects a ciphertext of an unlisted key with DecryptionError and never asks KMS to decrypt it', async () => {
    const foreign = await envelope(provider([keyC])).encrypt('x', ctx);
    kms.resetStats();
    const e = envelope(provider(['alias/payments', keyB]));
    expect(await rejection(e.decrypt(foreign, ctx))).toBeInstanceOf(
      DecryptionError,
    );
    expect(calls('Decrypt')).toBe(0);
  });

  it('rotates: encrypts with the new primary, decrypts with the old key, re-wraps with ReEncrypt', async () => {
    const old = await envelope(provider([keyA])).encryptString('card', ctx);
    const rotated = envelope(provider([keyB, keyA]));
    expect(ciphertextKeyId(await rotated.encryptString('x', ctx))).toBe(keyB);
    expect(await rotated.decryptString(old, ctx)).toBe('card');
    kms.resetStats();
    const rewrapped = await rotated.reWrapString(old, ctx);
    expect(calls('ReEncrypt')).toBe(1);
    expect(calls('Decrypt')).toBe(0);
    expect(ciphertextKeyId(rewrapped)).toBe(keyB);
    const onlyB = envelope(provider([keyB]));
    expect(await onlyB.decryptString(rewrapped, ctx)).toBe('card');
    expect(await rejection(onlyB.decryptString(old, ctx))).toBeInstanceOf(
      DecryptionError,
    );
    expect(
      await rejection(rotated.reWrapString(old, { other: 'context' })),
    ).toBeInstanceOf(DecryptionError);
  });

  it('reports a disabled key as a non-retryable KeyProviderError after one call', async () => {
    const out = await sdk.send(new CreateKeyCommand({}));
    const keyId = out.KeyMetadata?.Arn ?? '';
    await sdk.send(new DisableKeyCommand({ KeyId: keyId }));
    kms.resetStats();
    const error = (await rejection(
      envelope(provider([keyId])).encrypt('x', ctx),
    )) as KeyProviderError;
    expect(error).toBeInstanceOf(KeyProviderError);
    expect(error).toMatchObject({
      code: 'KENOS_ERR_CRYPTO_KEY_PROVIDER',
      errorName: 'DisabledException',
      retryable: false,
    });
    expect(calls('GenerateDataKey')).toBe(1);
    await sdk.send(new EnableKeyCommand({ KeyId: keyId }));
  });

  it('retries a KMS that throttles every call, a bounded number of times, then fails as retryable', async () => {
    kms.setFaults({ throttleRate: 1 });
    const started = Date.now();
    const error = (await rejection(
      envelope(provider([keyA], { maxAttempts: 3 })).encrypt('x', ctx),
    )) as KeyProviderError;
    expect(error).toMatchObject({
      errorName: 'ThrottlingException',
      retryable: true,
      operation: 'GenerateDataKey',
    });
    expect(calls('GenerateDataKey')).toBe(3);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('retries a 5xx and succeeds once KMS recovers, but never retries AccessDeniedException', async () => {
    kms.setFaults({ errorRate: { GenerateDataKey: 1 } });
    const failing = (await rejection(
      envelope(provider([keyA])).encrypt('x', ctx),
    )) as KeyProviderError;
    expect(failing).toMatchObject({
      errorName: 'KMSInternalException',
      retryable: true,
    });
    expect(calls('GenerateDataKey')).toBe(3);

    kms.setFaults({});
    const ct = await envelope(provider([keyA])).encrypt('x', ctx);
    kms.resetStats();
    kms.setFaults({
      errorRate: { Decrypt: 1 },
      errorName: 'AccessDeniedException',
    });
    const denied = (await rejection(
      envelope(provider([keyA])).decrypt(ct, ctx),
    )) as KeyProviderError;
    expect(denied).toMatchObject({
      errorName: 'AccessDeniedException',
      retryable: false,
      operation: 'Decrypt',
    });
    expect(calls('Decrypt')).toBe(1);
  });

  it('retries a hanging KMS after each request timeout, then fails as a retryable timeout', async () => {
    kms.setFaults({ latencyMs: 30_000 });
    const error = (await rejection(
      envelope(
        provider([keyA], { requestTimeoutMs: 200, timeoutMs: 8000 }),
      ).encrypt('x', ctx),
    )) as KeyProviderError;
    expect(error).toBeInstanceOf(KeyProviderError);
    expect(error.retryable).toBe(true);
    expect(calls('GenerateDataKey')).toBe(3);
  });

  it('ends a call at its deadline even when the request timeout is longer', async () => {
    kms.setFaults({ latencyMs: 30_000 });
    const started = Date.now();
    const error = (await rejection(
      envelope(
        provider([keyA], { requestTimeoutMs: 20_000, timeoutMs: 500 }),
      ).encrypt('x', ctx),
    )) as KeyProviderError;
    expect(error).toMatchObject({
      errorName: 'TimeoutError',
      retryable: true,
      operation: 'GenerateDataKey',
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('follows the SDK standard configuration: AWS_ENDPOINT_URL_KMS, AWS_REGION and the credential chain', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL_KMS', kms.url);
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    try {
      const p = createKmsKeyProvider({ keyIds: [keyA] });
      closers.push(p);
      const e = envelope(p, false);
      expect(
        await e.decryptString(await e.encryptString('env', ctx), ctx),
      ).toBe('env');
      expect(calls('GenerateDataKey')).toBe(1);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('encrypts a secret file under a KMS key and re-wraps its data key for a second key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kenos-kms-secrets-'));
    try {
      const path = join(dir, 'secrets.yaml');
      await writeFile(path, 'db:\n  password: hunter2-hunter2\n');
      await encryptSecretFile(path, { keyProvider: provider([keyA]) });
      expect(await readFile(path, 'utf8')).toContain('provider: aws-kms');
      expect(
        await loadSecretFile(path, { keyProvider: provider([keyA]) }),
      ).toEqual({ db: { password: 'hunter2-hunter2' } });
      expect(
        await rejection(
          loadSecretFile(path, { keyProvider: provider([keyB]) }),
        ),
      ).toBeInstanceOf(SecretFileError);
      kms.resetStats();
      await updateSecretFileKeys(path, {
        keyProvider: provider([keyA]),
        keyProviders: [provider([keyA]), provider([keyB])],
      });
      expect(calls('Encrypt')).toBe(2);
      expect(
        await loadSecretFile(path, { keyProvider: provider([keyB]) }),
      ).toEqual({ db: { password: 'hunter2-hunter2' } });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('does not retry an invalid ciphertext: one Decrypt call at the server, then DecryptionError', async () => {
    const ct = Buffer.from(await envelope(provider([keyA])).encrypt('x', ctx));
    const parsed = parseCiphertext(ct);
    const wrappedAt = ct.indexOf(Buffer.from(parsed.wrappedKey));
    ct[wrappedAt + parsed.wrappedKey.length - 1] =
      (ct[wrappedAt + parsed.wrappedKey.length - 1] ?? 0) ^ 0x01;
    kms.resetStats();
    expect(
      await rejection(envelope(provider([keyA])).decrypt(ct, ctx)),
    ).toBeInstanceOf(DecryptionError);
    expect(calls('Decrypt')).toBe(1);
  });

  it('reports a key pending deletion and an unknown alias as non-retryable KeyProviderErrors', async () => {
    const out = await sdk.send(new CreateKeyCommand({}));
    const keyId = out.KeyMetadata?.Arn ?? '';
    const ct = await envelope(provider([keyId])).encrypt('x', ctx);
    await sdk.send(
      new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }),
    );
    const pending = (await rejection(
      envelope(provider([keyId])).decrypt(ct, ctx),
    )) as KeyProviderError;
    expect(pending).toMatchObject({
      errorName: 'KMSInvalidStateException',
      retryable: false,
    });
    const missing = (await rejection(
      envelope(provider(['alias/does-not-exist'])).encrypt('x', ctx),
    )) as KeyProviderError;
    expect(missing).toMatchObject({
      errorName: 'NotFoundException',
      retryable: false,
      keyId: 'alias/does-not-exist',
    });
  });

  it('still decrypts when a listed alias no longer exists', async () => {
    const ct = await envelope(provider([keyA])).encrypt('x', ctx);
    const e = envelope(provider(['alias/gone', 'alias/payments']));
    expect(Buffer.from(await e.decrypt(ct, ctx)).toString()).toBe('x');
  });

  it('decrypts a ciphertext of an unlisted key in discovery mode', async () => {
    const foreign = await envelope(provider([keyC])).encrypt('x', ctx);
    const e = envelope(provider([keyA], { discovery: true }));
    expect(Buffer.from(await e.decrypt(foreign, ctx)).toString()).toBe('x');
  });

  it('refuses to wrap a data key that is not 32 bytes, without calling KMS', async () => {
    await expect(
      provider([keyA]).wrapDataKey(new Uint8Array(16), ctx),
    ).rejects.toMatchObject({ code: 'KENOS_ERR_CRYPTO_INVALID_ARGUMENT' });
    expect(calls('Encrypt')).toBe(0);
  });
});
