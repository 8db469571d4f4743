import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ListAliasesCommand,
  ListKeyRotationsCommand,
  ListKeysCommand,
  ReEncryptCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  isLoopbackHost,
  KmsLocalError,
  startKmsLocal,
  type KmsLocal,
} from '../src/kms-local/index.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const ARN =
  /^arn:aws:kms:us-east-1:111122223333:key\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function client(
  url: string,
  extra: Partial<ConstructorParameters<typeof KMSClient>[0]> = {},
): KMSClient {
  return new KMSClient({
    endpoint: url,
    region: 'us-east-1',
    credentials,
    ...extra,
  });
}

async function rejection(
  p: Promise<unknown>,
): Promise<Error & { name: string; $metadata?: { httpStatusCode?: number } }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { name: string };
  }
  throw new Error('expected a rejection');
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('kms-local with the real @aws-sdk/client-kms', () => {
  let kms: KmsLocal;
  let sdk: KMSClient;
  let once: KMSClient;

  beforeAll(async () => {
    kms = await startKmsLocal();
    sdk = client(kms.url);
    once = client(kms.url, { maxAttempts: 1 });
  });
  afterAll(async () => {
    sdk.destroy();
    once.destroy();
    await kms.stop();
  });
  afterEach(() => {
    kms.setFaults({});
    kms.resetStats();
  });

  async function newKey(description = 'test key'): Promise<string> {
    const out = await sdk.send(
      new CreateKeyCommand({ Description: description }),
    );
    return out.KeyMetadata?.KeyId ?? '';
  }

  it('creates, describes and lists a symmetric key with a UUID id and an ARN', async () => {
    const created = await sdk.send(
      new CreateKeyCommand({ Description: 'orders' }),
    );
    const meta = created.KeyMetadata;
    expect(meta?.KeyId).toMatch(/^[0-9a-f-]{36}$/);
    expect(meta?.Arn).toMatch(ARN);
    expect(meta).toMatchObject({
      KeyState: 'Enabled',
      Enabled: true,
      KeySpec: 'SYMMETRIC_DEFAULT',
      KeyUsage: 'ENCRYPT_DECRYPT',
      Description: 'orders',
    });
    expect(meta?.CreationDate).toBeInstanceOf(Date);
    const described = await sdk.send(
      new DescribeKeyCommand({ KeyId: meta?.Arn }),
    );
    expect(described.KeyMetadata?.KeyId).toBe(meta?.KeyId);
    const listed = await sdk.send(new ListKeysCommand({}));
    expect(listed.Keys?.map((k) => k.KeyId)).toContain(meta?.KeyId);
  });

  it('pages ListKeys with Limit and Marker', async () => {
    await newKey();
    await newKey();
    const first = await sdk.send(new ListKeysCommand({ Limit: 1 }));
    expect(first.Keys).toHaveLength(1);
    expect(first.Truncated).toBe(true);
    const second = await sdk.send(
      new ListKeysCommand({ Limit: 1, Marker: first.NextMarker }),
    );
    expect(second.Keys?.[0]?.KeyId).not.toBe(first.Keys?.[0]?.KeyId);
  });

  it('resolves a key by id, key ARN, alias name and alias ARN', async () => {
    const keyId = await newKey();
    await sdk.send(
      new CreateAliasCommand({
        AliasName: 'alias/payments',
        TargetKeyId: keyId,
      }),
    );
    const aliases = await sdk.send(new ListAliasesCommand({ KeyId: keyId }));
    expect(aliases.Aliases).toEqual([
      expect.objectContaining({
        AliasName: 'alias/payments',
        AliasArn: 'arn:aws:kms:us-east-1:111122223333:alias/payments',
        TargetKeyId: keyId,
      }),
    ]);
    for (const ref of [
      keyId,
      `arn:aws:kms:us-east-1:111122223333:key/${keyId}`,
      'alias/payments',
      'arn:aws:kms:us-east-1:111122223333:alias/payments',
    ]) {
      const out = await sdk.send(new DescribeKeyCommand({ KeyId: ref }));
      expect(out.KeyMetadata?.KeyId).toBe(keyId);
    }
    const dup = await rejection(
      sdk.send(
        new CreateAliasCommand({
          AliasName: 'alias/payments',
          TargetKeyId: keyId,
        }),
      ),
    );
    expect(dup.name).toBe('AlreadyExistsException');
    const bad = await rejection(
      sdk.send(
        new CreateAliasCommand({
          AliasName: 'alias/aws/mine',
          TargetKeyId: keyId,
        }),
      ),
    );
    expect(bad.name).toBe('InvalidAliasNameException');
  });

  it('answers NotFoundException with HTTP 404 for an unknown key or alias', async () => {
    for (const ref of ['alias/nope', '00000000-0000-4000-8000-000000000000']) {
      const err = await rejection(
        sdk.send(new DescribeKeyCommand({ KeyId: ref })),
      );
      expect(err.name).toBe('NotFoundException');
      expect(err.$metadata?.httpStatusCode).toBe(404);
    }
  });

  it('round-trips Encrypt and Decrypt with the encryption context bound to the ciphertext', async () => {
    const keyId = await newKey();
    await sdk.send(
      new CreateAliasCommand({
        AliasName: 'alias/roundtrip',
        TargetKeyId: keyId,
      }),
    );
    const context = { tenant: 't1', purpose: 'test' };
    const enc = await sdk.send(
      new EncryptCommand({
        KeyId: 'alias/roundtrip',
        Plaintext: text('hello'),
        EncryptionContext: context,
      }),
    );
    expect(enc.KeyId).toMatch(ARN);
    expect(enc.EncryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');
    const dec = await sdk.send(
      new DecryptCommand({
        CiphertextBlob: enc.CiphertextBlob,
        EncryptionContext: { purpose: 'test', tenant: 't1' },
      }),
    );
    expect(Buffer.from(dec.Plaintext ?? []).toString()).toBe('hello');
    expect(dec.KeyId).toBe(enc.KeyId);
    const wrongs: (Record<string, string> | undefined)[] = [
      { tenant: 't2', purpose: 'test' },
      { tenant: 't1' },
      { ...context, extra: 'x' },
      undefined,
    ];
    for (const wrong of wrongs) {
      const err = await rejection(
        sdk.send(
          new DecryptCommand({
            CiphertextBlob: enc.CiphertextBlob,
            EncryptionContext: wrong,
          }),
        ),
      );
      expect(err.name).toBe('InvalidCiphertextException');
      expect(err.$metadata?.httpStatusCode).toBe(400);
    }
  });

  it('rejects a tampered or truncated ciphertext with InvalidCiphertextException', async () => {
    const keyId = await newKey();
    const enc = await sdk.send(
      new EncryptCommand({ KeyId: keyId, Plaintext: text('secret') }),
    );
    const blob = Buffer.from(enc.CiphertextBlob ?? []);
    const flipped = Buffer.from(blob);
    flipped[flipped.length - 20] = (flipped[flipped.length - 20] ?? 0) ^ 1;
    for (const bad of [
      flipped,
      blob.subarray(0, blob.length - 1),
      blob.subarray(0, 10),
    ]) {
      const err = await rejection(
        sdk.send(new DecryptCommand({ CiphertextBlob: bad })),
      );
      expect(err.name).toBe('InvalidCiphertextException');
    }
  });

  it('answers IncorrectKeyException when Decrypt names another key than the ciphertext', async () => {
    const a = await newKey();
    const b = await newKey();
    const enc = await sdk.send(
      new EncryptCommand({ KeyId: a, Plaintext: text('x') }),
    );
    const err = await rejection(
      sdk.send(
        new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, KeyId: b }),
      ),
    );
    expect(err.name).toBe('IncorrectKeyException');
    const ok = await sdk.send(
      new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, KeyId: a }),
    );
    expect(Buffer.from(ok.Plaintext ?? []).toString()).toBe('x');
  });

  it('generates 32-byte data keys with and without plaintext that Decrypt unwraps', async () => {
    const keyId = await newKey();
    const ctx = { k: 'v' };
    const withPt = await sdk.send(
      new GenerateDataKeyCommand({
        KeyId: keyId,
        KeySpec: 'AES_256',
        EncryptionContext: ctx,
      }),
    );
    expect(withPt.Plaintext).toHaveLength(32);
    const unwrapped = await sdk.send(
      new DecryptCommand({
        CiphertextBlob: withPt.CiphertextBlob,
        EncryptionContext: ctx,
      }),
    );
    expect(
      Buffer.from(unwrapped.Plaintext ?? []).equals(
        Buffer.from(withPt.Plaintext ?? []),
      ),
    ).toBe(true);
    const without = await sdk.send(
      new GenerateDataKeyWithoutPlaintextCommand({
        KeyId: keyId,
        NumberOfBytes: 16,
        EncryptionContext: ctx,
      }),
    );
    expect(without).not.toHaveProperty('Plaintext');
    const dk = await sdk.send(
      new DecryptCommand({
        CiphertextBlob: without.CiphertextBlob,
        EncryptionContext: ctx,
      }),
    );
    expect(dk.Plaintext).toHaveLength(16);
    const invalid = await rejection(
      sdk.send(new GenerateDataKeyCommand({ KeyId: keyId })),
    );
    expect(invalid.name).toBe('ValidationException');
  });

  it('re-encrypts under another key and context without returning plaintext', async () => {
    const a = await newKey();
    const b = await newKey();
    const enc = await sdk.send(
      new EncryptCommand({
        KeyId: a,
        Plaintext: text('move me'),
        EncryptionContext: { v: '1' },
      }),
    );
    const re = await sdk.send(
      new ReEncryptCommand({
        CiphertextBlob: enc.CiphertextBlob,
        SourceEncryptionContext: { v: '1' },
        DestinationKeyId: b,
        DestinationEncryptionContext: { v: '2' },
      }),
    );
    expect(re).not.toHaveProperty('Plaintext');
    expect(re.SourceKeyId).toContain(a);
    expect(re.KeyId).toContain(b);
    const dec = await sdk.send(
      new DecryptCommand({
        CiphertextBlob: re.CiphertextBlob,
        EncryptionContext: { v: '2' },
      }),
    );
    expect(Buffer.from(dec.Plaintext ?? []).toString()).toBe('move me');
    expect(dec.KeyId).toContain(b);
  });

  it('answers DisabledException for a disabled key until it is enabled again', async () => {
    const keyId = await newKey();
    const enc = await sdk.send(
      new EncryptCommand({ KeyId: keyId, Plaintext: text('x') }),
    );
    await sdk.send(new DisableKeyCommand({ KeyId: keyId }));
    expect(
      (await sdk.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata
        ?.KeyState,
    ).toBe('Disabled');
    const encErr = await rejection(
      sdk.send(new EncryptCommand({ KeyId: keyId, Plaintext: text('x') })),
    );
    expect(encErr.name).toBe('DisabledException');
    expect(encErr.$metadata?.httpStatusCode).toBe(409);
    const decErr = await rejection(
      sdk.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob })),
    );
    expect(decErr.name).toBe('DisabledException');
    await sdk.send(new EnableKeyCommand({ KeyId: keyId }));
    await sdk.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }));
  });

  it('answers KMSInvalidStateException for a key pending deletion, and cancels deletion to Disabled', async () => {
    const keyId = await newKey();
    const scheduled = await sdk.send(
      new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }),
    );
    expect(scheduled).toMatchObject({
      KeyState: 'PendingDeletion',
      PendingWindowInDays: 7,
    });
    expect(scheduled.DeletionDate?.getTime()).toBeGreaterThan(
      Date.now() + 6 * 86_400_000,
    );
    const err = await rejection(
      sdk.send(
        new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256' }),
      ),
    );
    expect(err.name).toBe('KMSInvalidStateException');
    expect(
      (await rejection(sdk.send(new EnableKeyCommand({ KeyId: keyId })))).name,
    ).toBe('KMSInvalidStateException');
    const window = await rejection(
      sdk.send(
        new ScheduleKeyDeletionCommand({
          KeyId: await newKey(),
          PendingWindowInDays: 3,
        }),
      ),
    );
    expect(window.name).toBe('ValidationException');
    await sdk.send(new CancelKeyDeletionCommand({ KeyId: keyId }));
    expect(
      (await sdk.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata
        ?.KeyState,
    ).toBe('Disabled');
  });

  it('rotates key material on demand and still decrypts ciphertexts of the old material', async () => {
    const keyId = await newKey();
    await sdk.send(
      new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 90 }),
    );
    const status = await sdk.send(
      new GetKeyRotationStatusCommand({ KeyId: keyId }),
    );
    expect(status).toMatchObject({
      KeyRotationEnabled: true,
      RotationPeriodInDays: 90,
    });
    const before = await sdk.send(
      new EncryptCommand({ KeyId: keyId, Plaintext: text('old') }),
    );
    await sdk.send(new RotateKeyOnDemandCommand({ KeyId: keyId }));
    const after = await sdk.send(
      new EncryptCommand({ KeyId: keyId, Plaintext: text('new') }),
    );
    const rotations = await sdk.send(
      new ListKeyRotationsCommand({ KeyId: keyId }),
    );
    expect(rotations.Rotations).toEqual([
      expect.objectContaining({ RotationType: 'ON_DEMAND' }),
    ]);
    // the blob names the material version: bytes 17..21 differ between the two ciphertexts
    expect(Buffer.from(before.CiphertextBlob ?? []).readUInt32BE(17)).toBe(1);
    expect(Buffer.from(after.CiphertextBlob ?? []).readUInt32BE(17)).toBe(2);
    for (const [blob, expected] of [
      [before.CiphertextBlob, 'old'],
      [after.CiphertextBlob, 'new'],
    ] as const) {
      const dec = await sdk.send(new DecryptCommand({ CiphertextBlob: blob }));
      expect(Buffer.from(dec.Plaintext ?? []).toString()).toBe(expected);
    }
  });

  it('rejects an Encrypt plaintext above 4096 bytes with ValidationException', async () => {
    const keyId = await newKey();
    const err = await rejection(
      sdk.send(
        new EncryptCommand({ KeyId: keyId, Plaintext: new Uint8Array(4097) }),
      ),
    );
    expect(err.name).toBe('ValidationException');
  });

  it('throttles every call: the SDK sees ThrottlingException and its own retries are counted', async () => {
    const keyId = await newKey();
    kms.resetStats();
    kms.setFaults({ throttleRate: 1 });
    const err = await rejection(
      once.send(new EncryptCommand({ KeyId: keyId, Plaintext: text('x') })),
    );
    expect(err.name).toBe('ThrottlingException');
    expect(kms.stats().calls['Encrypt']).toBe(1);
    kms.resetStats();
    const retried = await rejection(
      client(kms.url, { maxAttempts: 3 }).send(
        new EncryptCommand({ KeyId: keyId, Plaintext: text('x') }),
      ),
    );
    expect(retried.name).toBe('ThrottlingException');
    expect(kms.stats()).toEqual({
      calls: { Encrypt: 3 },
      throttled: 3,
      injectedErrors: 0,
    });
  });

  it('injects an error by operation: 5xx is retried by the SDK, AccessDeniedException is not', async () => {
    const keyId = await newKey();
    const retrying = client(kms.url, { maxAttempts: 3 });
    const enc = await sdk.send(
      new EncryptCommand({ KeyId: keyId, Plaintext: text('x') }),
    );
    kms.resetStats();
    kms.setFaults({ errorRate: { Decrypt: 1 } });
    const internal = await rejection(
      retrying.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob })),
    );
    expect(internal.name).toBe('KMSInternalException');
    expect(internal.$metadata?.httpStatusCode).toBe(500);
    expect(kms.stats().calls['Decrypt']).toBe(3);
    await retrying.send(
      new EncryptCommand({ KeyId: keyId, Plaintext: text('y') }),
    );
    kms.resetStats();
    kms.setFaults({
      errorRate: { '*': 1 },
      errorName: 'AccessDeniedException',
    });
    const denied = await rejection(
      retrying.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob })),
    );
    expect(denied.name).toBe('AccessDeniedException');
    expect(kms.stats()).toEqual({
      calls: { Decrypt: 1 },
      throttled: 0,
      injectedErrors: 1,
    });
    retrying.destroy();
  });

  it('adds latency to every answer, and a hanging KMS trips the SDK request timeout', async () => {
    const keyId = await newKey();
    kms.setFaults({ latencyMs: 250 });
    const started = performance.now();
    await once.send(new EncryptCommand({ KeyId: keyId, Plaintext: text('x') }));
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
    kms.setFaults({ latencyMs: 60_000 });
    const impatient = client(kms.url, {
      maxAttempts: 1,
      requestHandler: { requestTimeout: 200, throwOnRequestTimeout: true },
    });
    const err = await rejection(
      impatient.send(
        new EncryptCommand({ KeyId: keyId, Plaintext: text('x') }),
      ),
    );
    expect(err.name).toBe('TimeoutError');
    impatient.destroy();
  });

  it('answers AWS JSON 1.1 errors as {"__type","message"} with the real status code', async () => {
    const res = await fetch(kms.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'TrentService.DescribeKey',
      },
      body: JSON.stringify({ KeyId: 'alias/missing' }),
    });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(await res.json()).toEqual({
      __type: 'NotFoundException',
      message: expect.any(String),
    });
    const unknown = await fetch(kms.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'TrentService.Frobnicate' },
      body: '{}',
    });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { __type: string }).__type).toBe(
      'UnknownOperationException',
    );
    const garbage = await fetch(kms.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'TrentService.ListKeys' },
      body: '{nope',
    });
    expect(((await garbage.json()) as { __type: string }).__type).toBe(
      'SerializationException',
    );
  });
});

describe('kms-local startup', () => {
  it('refuses a non-loopback host without allowNonLoopback', async () => {
    const err = await startKmsLocal({ host: '0.0.0.0' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(KmsLocalError);
    expect((err as KmsLocalError).code).toBe(
      'KENOS_ERR_KMS_LOCAL_NON_LOOPBACK',
    );
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('127.1.2.3')).toBe(true);
    expect(isLoopbackHost('::1')).toBe(true);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('::')).toBe(false);
    expect(isLoopbackHost('10.0.0.1')).toBe(false);
  });

  it('rejects out-of-range faults and a port in use with typed errors', async () => {
    await expect(
      startKmsLocal({ faults: { throttleRate: 2 } }),
    ).rejects.toMatchObject({ code: 'KENOS_ERR_KMS_LOCAL_OPTIONS' });
    const first = await startKmsLocal();
    const port = Number(new URL(first.url).port);
    await expect(startKmsLocal({ port })).rejects.toMatchObject({
      code: 'KENOS_ERR_KMS_LOCAL_LISTEN',
    });
    await first.stop();
  });

  it('says on stderr that it is a development and test tool', async () => {
    const lines: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    let kms: KmsLocal | undefined;
    try {
      kms = await startKmsLocal();
    } finally {
      process.stderr.write = original;
    }
    await kms.stop();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('development and test tool');
    expect(lines[0]).toContain(kms.url);
  });

  it('keeps keys, aliases and rotated material in the key file across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kms-local-'));
    const keyFile = join(dir, 'keys.json');
    try {
      const first = await startKmsLocal({ keyFile });
      const a = client(first.url);
      const keyId = (await a.send(new CreateKeyCommand({}))).KeyMetadata?.KeyId;
      await a.send(
        new CreateAliasCommand({ AliasName: 'alias/kept', TargetKeyId: keyId }),
      );
      const old = await a.send(
        new EncryptCommand({
          KeyId: 'alias/kept',
          Plaintext: text('persisted'),
          EncryptionContext: { a: 'b' },
        }),
      );
      await a.send(new RotateKeyOnDemandCommand({ KeyId: keyId }));
      a.destroy();
      await first.stop();
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);

      const second = await startKmsLocal({ keyFile });
      const b = client(second.url);
      const dec = await b.send(
        new DecryptCommand({
          CiphertextBlob: old.CiphertextBlob,
          EncryptionContext: { a: 'b' },
        }),
      );
      expect(Buffer.from(dec.Plaintext ?? []).toString()).toBe('persisted');
      const described = await b.send(
        new DescribeKeyCommand({ KeyId: 'alias/kept' }),
      );
      expect(described.KeyMetadata?.KeyId).toBe(keyId);
      const fresh = await b.send(
        new EncryptCommand({ KeyId: 'alias/kept', Plaintext: text('v2') }),
      );
      expect(Buffer.from(fresh.CiphertextBlob ?? []).readUInt32BE(17)).toBe(2);
      b.destroy();
      await second.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a key file that is not a kms-local key file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kms-local-'));
    try {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(join(dir, 'bad.json'), '{"hello":1}');
      await expect(
        startKmsLocal({ keyFile: join(dir, 'bad.json') }),
      ).rejects.toMatchObject({ code: 'KENOS_ERR_KMS_LOCAL_KEY_FILE' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
