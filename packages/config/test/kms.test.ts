import { join } from 'node:path';
import { createKmsKeyProvider, encryptSecretFile } from '@kenos/crypto';
import { startKmsLocal, type KmsLocal } from '@kenos/crypto/kms-local';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, defineConfigSchema, loadConfig } from '../src/index.js';
import { serviceDir } from './helpers.js';

// The AWS SDK inside the KMS key provider reads region and credentials from process.env (its standard chain).
const AWS_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
};
const saved: Record<string, string | undefined> = {};

let kms: KmsLocal;

async function createKey(): Promise<string> {
  const res = await fetch(kms.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'TrentService.CreateKey',
    },
    body: '{}',
  });
  const body = (await res.json()) as { KeyMetadata: { Arn: string } };
  return body.KeyMetadata.Arn;
}

beforeAll(async () => {
  for (const [k, v] of Object.entries(AWS_ENV)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  kms = await startKmsLocal();
});

afterAll(async () => {
  await kms.stop();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

afterEach(() => kms.setFaults({}));

const schema = defineConfigSchema({
  db: {
    password: { format: 'secret', default: undefined, env: 'DB_PASSWORD' },
  },
});

async function productionService(keyId: string): Promise<string> {
  const dir = serviceDir({
    'config/production.secrets.json': JSON.stringify({
      db: { password: 'kms-protected-pw' },
    }),
  });
  const provider = createKmsKeyProvider({
    keyIds: [keyId],
    clientConfig: { endpoint: kms.url },
  });
  await encryptSecretFile(join(dir, 'config/production.secrets.json'), {
    keyProvider: provider,
  });
  await provider.close();
  return dir;
}

describe('secrets decrypted through AWS KMS (kms-local, real AWS SDK)', () => {
  it('loads a production config whose secrets file is wrapped by KMS', async () => {
    const keyId = await createKey();
    const dir = await productionService(keyId);
    const config = await loadConfig(schema, {
      cwd: dir,
      env: {
        KENOS_ENV: 'production',
        KENOS_KEY_PROVIDER: 'aws',
        KENOS_KMS_KEY_ID: keyId,
        KENOS_KMS_ENDPOINT: kms.url,
      },
      argv: [],
    });
    expect(config.db.password).toBe('kms-protected-pw');
    expect(config.sourceOf('db.password')).toBe(
      'secrets:config/production.secrets.json',
    );
    expect(kms.stats().calls['Decrypt']).toBeGreaterThan(0);
  });

  it('reports a secrets file wrapped by another KMS key than the configured one', async () => {
    const dir = await productionService(await createKey());
    const other = await createKey();
    const err = await loadConfig(schema, {
      cwd: dir,
      env: {
        KENOS_ENV: 'production',
        KENOS_KEY_PROVIDER: 'aws',
        KENOS_KMS_KEY_ID: other,
        KENOS_KMS_ENDPOINT: kms.url,
      },
      argv: [],
    }).then(
      () => expect.unreachable(),
      (e: unknown) => e as ConfigError,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.problems).toEqual([
      expect.objectContaining({
        kind: 'decrypt-failed',
        source: 'secrets:config/production.secrets.json',
      }),
    ]);
    expect(err.problems[0]?.message).toContain('no-usable-key');
    expect(err.problems[0]?.message).toContain('(the file holds db.password)');
  });

  it('reports KMS refusing to decrypt', async () => {
    const keyId = await createKey();
    const dir = await productionService(keyId);
    kms.setFaults({
      errorRate: { Decrypt: 1 },
      errorName: 'AccessDeniedException',
    });
    const err = await loadConfig(schema, {
      cwd: dir,
      env: {
        KENOS_ENV: 'production',
        KENOS_KEY_PROVIDER: 'aws',
        KENOS_KMS_KEY_ID: keyId,
        KENOS_KMS_ENDPOINT: kms.url,
      },
      argv: [],
    }).then(
      () => expect.unreachable(),
      (e: unknown) => e as ConfigError,
    );
    expect(err.problems[0]).toMatchObject({ kind: 'decrypt-failed' });
    expect(err.problems[0]?.message).toMatch(/AccessDenied|KENOS_ERR_CRYPTO/);
    expect(err.message).not.toContain('kms-protected-pw');
  });

  it('says what to set when KMS is not configured: a KMS endpoint that is no URL names keys.kmsEndpoint', async () => {
    const keyId = await createKey();
    const dir = await productionService(keyId);
    const err = await loadConfig(schema, {
      cwd: dir,
      env: {
        KENOS_ENV: 'production',
        KENOS_KEY_PROVIDER: 'aws',
        KENOS_KMS_KEY_ID: keyId,
        KENOS_KMS_ENDPOINT: '127.0.0.1 port 4599',
      },
      argv: [],
    }).then(
      () => expect.unreachable(),
      (e: unknown) => e as ConfigError,
    );
    expect(err.problems).toEqual([
      expect.objectContaining({
        kind: 'decrypt-failed',
        key: 'keys.kmsEndpoint',
      }),
    ]);
    expect(err.problems[0]?.message).toContain('KENOS_ERR_CRYPTO_KMS_CONFIG');
    expect(err.problems[0]?.message).toContain('KENOS_KMS_ENDPOINT');
  });
});
