import type { KmsLocal } from '@kenos/crypto/kms-local';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKenos } from './kenos-process.js';

describe('kenos encrypt and decrypt', () => {
  let dir: string;
  let key: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kenos-cli-'));
    key = join(dir, 'dev.key');
    expect((await runKenos(['local-key', 'generate', key])).code).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips stdin through the text form with a local key and a context', async () => {
    const enc = await runKenos(
      [
        'encrypt',
        '--local-key',
        key,
        '--context',
        'table=users',
        '--context',
        'column=email=x',
      ],
      { input: 'alice@example.com\n' },
    );
    expect(enc.code).toBe(0);
    expect(enc.stdout).toMatch(/^kenos:v1:[A-Za-z0-9_-]+\n$/);
    const dec = await runKenos(
      [
        'decrypt',
        '--local-key',
        key,
        '--context',
        'column=email=x',
        '--context',
        'table=users',
      ],
      { input: enc.stdout },
    );
    expect(dec).toMatchObject({
      code: 0,
      stdout: 'alice@example.com\n',
      stderr: '',
    });
  });

  it('fails a wrong, missing or extra context: exit 1, one line on stderr, nothing on stdout', async () => {
    const enc = await runKenos(
      ['encrypt', '--local-key', key, '--context', 'a=1'],
      { input: 'secret' },
    );
    for (const ctx of [
      ['--context', 'a=2'],
      [],
      ['--context', 'a=1', '--context', 'b=2'],
    ]) {
      const dec = await runKenos(['decrypt', '--local-key', key, ...ctx], {
        input: enc.stdout,
      });
      expect(dec.code).toBe(1);
      expect(dec.stdout).toBe('');
      expect(dec.stderr.trim().split('\n')).toHaveLength(1);
      expect(dec.stderr).toContain('KENOS_ERR_CRYPTO_DECRYPT');
    }
  });

  it('fails a tampered ciphertext and one from another key the same way', async () => {
    const enc = await runKenos(['encrypt', '--local-key', key], {
      input: 'secret',
    });
    const text = enc.stdout.trim();
    const tampered = `${text.slice(0, -3)}${text.at(-3) === 'A' ? 'B' : 'A'}${text.slice(-2)}`;
    const other = join(dir, 'other.key');
    await runKenos(['local-key', 'generate', other]);
    for (const [input, k] of [
      [tampered, key],
      [text, other],
      ['kenos:v1:AAAA', key],
    ] as const) {
      const dec = await runKenos(['decrypt', '--local-key', k], { input });
      expect(dec.code).toBe(1);
      expect(dec.stdout).toBe('');
      expect(dec.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('exits 2 when no key is given and no .kenos-keys.json is found', async () => {
    const r = await runKenos(['encrypt'], { input: 'x', cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--local-key');
  });

  it('takes the key from the nearest .kenos-keys.json', async () => {
    const repo = mkdtempSync(join(dir, 'repo-'));
    writeFileSync(
      join(repo, '.kenos-keys.json'),
      JSON.stringify({ rules: [{ localKey: '../dev.key' }] }),
    );
    const enc = await runKenos(['encrypt', '--context', 'k=v'], {
      input: 'from config',
      cwd: repo,
    });
    expect(enc.code).toBe(0);
    const dec = await runKenos(
      ['decrypt', '--local-key', key, '--context', 'k=v'],
      { input: enc.stdout },
    );
    expect(dec.stdout).toBe('from config');
  });

  describe('with AWS KMS (kms-local and the real SDK in the child)', () => {
    let kms: KmsLocal;
    let env: Record<string, string>;
    beforeAll(async () => {
      const { startKmsLocal } = await import('@kenos/crypto/kms-local');
      kms = await startKmsLocal();
      const call = async (
        op: string,
        body: unknown,
      ): Promise<Record<string, unknown>> =>
        (await (
          await fetch(kms.url, {
            method: 'POST',
            headers: { 'x-amz-target': `TrentService.${op}` },
            body: JSON.stringify(body),
          })
        ).json()) as Record<string, unknown>;
      const created = await call('CreateKey', {});
      await call('CreateAlias', {
        AliasName: 'alias/cli',
        TargetKeyId: (created['KeyMetadata'] as { KeyId: string }).KeyId,
      });
      env = {
        AWS_ENDPOINT_URL_KMS: kms.url,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
      };
    });
    afterAll(async () => kms.stop());

    it('encrypts with --kms-key-id through GenerateDataKey and decrypts through Decrypt', async () => {
      kms.resetStats();
      const enc = await runKenos(
        ['encrypt', '--kms-key-id', 'alias/cli', '--context', 'tenant=t1'],
        { input: 'via kms', env },
      );
      expect(enc.stderr).toBe('');
      expect(enc.code).toBe(0);
      const dec = await runKenos(
        ['decrypt', '--kms-key-id', 'alias/cli', '--context', 'tenant=t1'],
        { input: enc.stdout, env },
      );
      expect(dec).toMatchObject({ code: 0, stdout: 'via kms' });
      expect(kms.stats().calls).toMatchObject({
        GenerateDataKey: 1,
        Decrypt: 1,
      });
      const wrong = await runKenos(
        ['decrypt', '--kms-key-id', 'alias/cli', '--context', 'tenant=t2'],
        { input: enc.stdout, env },
      );
      expect(wrong.code).toBe(1);
      expect(wrong.stdout).toBe('');
    });

    it('says to set AWS_REGION when no region is configured, not UnknownError', async () => {
      const { AWS_REGION: _region, ...noRegion } = env;
      const enc = await runKenos(['encrypt', '--kms-key-id', 'alias/cli'], {
        input: 'via kms',
        env: { ...noRegion, AWS_EC2_METADATA_DISABLED: 'true' },
      });
      expect(enc.code).toBe(1);
      expect(enc.stdout).toBe('');
      expect(enc.stderr.trim().split('\n')).toHaveLength(1);
      expect(enc.stderr).toContain('kenos encrypt: KMS is not configured');
      expect(enc.stderr).toContain('set AWS_REGION');
      expect(enc.stderr).toContain('(KENOS_ERR_CRYPTO_KMS_CONFIG)');
      // the SDK's words are in the message, so the cause is not repeated
      expect(enc.stderr).toContain('Region is missing');
      expect(enc.stderr).not.toContain('UnknownError');
    });

    it('says which credentials to provide when the SDK finds none', async () => {
      const {
        AWS_ACCESS_KEY_ID: _id,
        AWS_SECRET_ACCESS_KEY: _secret,
        ...noCredentials
      } = env;
      const enc = await runKenos(['encrypt', '--kms-key-id', 'alias/cli'], {
        input: 'via kms',
        env: { ...noCredentials, AWS_EC2_METADATA_DISABLED: 'true' },
      });
      expect(enc.code).toBe(1);
      expect(enc.stderr).toContain(
        'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
      );
      expect(enc.stderr).toContain('(KENOS_ERR_CRYPTO_KMS_CONFIG)');
      // the SDK's words are in the message once, not repeated as the cause
      expect(
        enc.stderr.split('Could not load credentials from any providers'),
      ).toHaveLength(2);
    });
  });
});
