import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createLocalKeyProvider,
  encryptSecretFile,
  generateLocalKey,
} from '@kenos/crypto';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  defineConfigSchema,
  describeConfig,
  isDevelopmentEnv,
  loadConfig,
  secretsFileEnv,
  type ConfigProblem,
} from '../src/index.js';
import { serviceDir } from './helpers.js';

const schema = defineConfigSchema({
  db: {
    password: { format: 'string', default: undefined, env: 'DB_PASSWORD' },
    user: { format: 'string', default: 'app', env: 'DB_USER' },
  },
  apiKey: { format: 'secret', default: undefined, env: 'API_KEY' },
});

/** A service dir with a local key at .kenos/dev.key and an encrypted config/<env>.secrets.<ext>. */
async function withSecrets(
  plain: Record<string, unknown>,
  {
    env = 'development',
    ext = 'yaml',
    files = {},
  }: { env?: string; ext?: string; files?: Record<string, string> } = {},
): Promise<{ dir: string; secretsFile: string }> {
  const dir = serviceDir(files);
  mkdirSync(join(dir, '.kenos'), { recursive: true });
  mkdirSync(join(dir, 'config'), { recursive: true });
  await generateLocalKey(join(dir, '.kenos/dev.key'));
  const secretsFile = join(dir, 'config', `${env}.secrets.${ext}`);
  writeFileSync(secretsFile, JSON.stringify(plain));
  const provider = createLocalKeyProvider({
    keyFile: join(dir, '.kenos/dev.key'),
  });
  await encryptSecretFile(secretsFile, { keyProvider: provider });
  await provider.close();
  return { dir, secretsFile };
}

async function problemsOf(
  promise: Promise<unknown>,
): Promise<readonly ConfigProblem[]> {
  const err = await promise.then(
    () => expect.unreachable('loadConfig should have failed'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  return (err as ConfigError).problems;
}

describe('the encrypted secrets file of the env', () => {
  it('is decrypted at load with the local key file and ranks above config/<env>.* files', async () => {
    const { dir } = await withSecrets(
      {
        db: { password: 'pw-from-secrets', user: 'secret-user' },
        apiKey: 'key-from-secrets',
      },
      { files: { 'config/development.yaml': 'db:\n  user: file-user\n' } },
    );
    const config = await loadConfig(schema, { cwd: dir, env: {}, argv: [] });
    expect(config.db.password).toBe('pw-from-secrets');
    expect(config.db.user).toBe('secret-user');
    expect(config.sourceOf('db.password')).toBe(
      'secrets:config/development.secrets.yaml',
    );
    expect(
      readFileSync(join(dir, 'config/development.secrets.yaml'), 'utf8'),
    ).not.toContain('pw-from-secrets');
  });

  it('ranks below environment variables and arguments', async () => {
    const { dir } = await withSecrets({
      db: { password: 'pw-from-secrets', user: 'secret-user' },
      apiKey: 'key-from-secrets',
    });
    const config = await loadConfig(schema, {
      cwd: dir,
      env: { DB_PASSWORD: 'pw-from-env' },
      argv: ['--db.user=arg-user'],
    });
    expect(config.db.password).toBe('pw-from-env');
    expect(config.db.user).toBe('arg-user');
    expect(config.apiKey).toBe('key-from-secrets');
  });

  it('masks every value it supplies, even keys the schema does not mark sensitive', async () => {
    const { dir } = await withSecrets(
      {
        db: { password: 'pw-from-secrets', user: 'secret-user' },
        apiKey: 'key-from-secrets',
      },
      { ext: 'json' },
    );
    const config = await loadConfig(schema, { cwd: dir, env: {}, argv: [] });
    const dump =
      JSON.stringify(config) + JSON.stringify(describeConfig(config));
    for (const secret of ['pw-from-secrets', 'secret-user', 'key-from-secrets'])
      expect(dump).not.toContain(secret);
    expect(
      describeConfig(config).find((r) => r.key === 'db.password'),
    ).toMatchObject({ sensitive: true, value: '[sensitive]' });
  });

  it('uses the caller key provider when one is given', async () => {
    const { dir } = await withSecrets({
      db: { password: 'pw-from-secrets' },
      apiKey: 'key-from-secrets',
    });
    const keyProvider = createLocalKeyProvider({
      keyFile: join(dir, '.kenos/dev.key'),
    });
    const config = await loadConfig(schema, {
      cwd: dir,
      env: { KENOS_LOCAL_KEY_FILE: 'nowhere.key' },
      argv: [],
      keyProvider,
    });
    expect(config.apiKey).toBe('key-from-secrets');
    await keyProvider.close();
  });

  it('reports a secrets file encrypted under another key, never falling back to a default', async () => {
    const { dir } = await withSecrets({
      db: { password: 'pw-from-secrets' },
      apiKey: 'key-from-secrets',
    });
    await generateLocalKey(join(dir, '.kenos/other.key'));
    const problems = await problemsOf(
      loadConfig(schema, {
        cwd: dir,
        env: { KENOS_LOCAL_KEY_FILE: '.kenos/other.key' },
        argv: [],
      }),
    );
    // one problem, naming the keys the file would have supplied (not defaulted, not also reported missing)
    expect(problems).toEqual([
      expect.objectContaining({
        kind: 'decrypt-failed',
        source: 'secrets:config/development.secrets.yaml',
      }),
    ]);
    expect(problems[0]?.message).toContain(
      '(the file holds db.password, apiKey)',
    );
  });

  it('reports a tampered value, naming its key', async () => {
    const { dir, secretsFile } = await withSecrets(
      { db: { password: 'pw-from-secrets' }, apiKey: 'key-from-secrets' },
      { ext: 'json' },
    );
    const doc = JSON.parse(readFileSync(secretsFile, 'utf8')) as {
      db: { password: string };
      apiKey: string;
    };
    doc.db.password = doc.apiKey; // a valid ciphertext moved to another key
    writeFileSync(secretsFile, JSON.stringify(doc));
    const problems = await problemsOf(
      loadConfig(schema, { cwd: dir, env: {}, argv: [] }),
    );
    expect(problems[0]).toMatchObject({
      kind: 'decrypt-failed',
      key: 'db.password',
    });
    expect(problems[0]?.message).toContain('db.password');
  });

  it('reports a missing local key file', async () => {
    const { dir } = await withSecrets({
      apiKey: 'key-from-secrets',
      db: { password: 'pw-from-secrets' },
    });
    const problems = await problemsOf(
      loadConfig(schema, {
        cwd: dir,
        env: { KENOS_LOCAL_KEY_FILE: 'missing.key' },
        argv: [],
      }),
    );
    expect(problems[0]).toMatchObject({
      kind: 'decrypt-failed',
      key: 'keys.localKeyFile',
      env: 'KENOS_LOCAL_KEY_FILE',
    });
  });

  it('reports a secrets file that is not encrypted', async () => {
    const dir = serviceDir({
      'config/development.secrets.yaml': 'apiKey: plain-text-key\n',
    });
    mkdirSync(join(dir, '.kenos'));
    await generateLocalKey(join(dir, '.kenos/dev.key'));
    const problems = await problemsOf(
      loadConfig(schema, { cwd: dir, env: { DB_PASSWORD: 'x' }, argv: [] }),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({
        kind: 'decrypt-failed',
        message: expect.stringContaining('not-encrypted'),
      }),
    );
    expect(JSON.stringify(problems)).not.toContain('plain-text-key');
  });

  it('reports an unknown key in the secrets file', async () => {
    const { dir } = await withSecrets({
      apiKey: 'key-from-secrets',
      db: { password: 'pw-from-secrets' },
      stray: 'value-123',
    });
    const problems = await problemsOf(
      loadConfig(schema, { cwd: dir, env: {}, argv: [] }),
    );
    expect(problems).toEqual([
      expect.objectContaining({
        kind: 'unknown-key',
        key: 'stray',
        source: 'secrets:config/development.secrets.yaml',
      }),
    ]);
  });

  it('requires keys.kmsKeyId when keys.provider is aws and a secrets file exists', async () => {
    const { dir } = await withSecrets(
      { apiKey: 'key-from-secrets', db: { password: 'pw-from-secrets' } },
      { env: 'production' },
    );
    const problems = await problemsOf(
      loadConfig(schema, {
        cwd: dir,
        env: { KENOS_ENV: 'production', KENOS_KEY_PROVIDER: 'aws' },
        argv: [],
      }),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({
        kind: 'missing-required',
        key: 'keys.kmsKeyId',
      }),
    );
  });
});

describe('a secrets file that only a local development key opens', () => {
  const plain = {
    apiKey: 'key-from-secrets',
    db: { password: 'pw-from-secrets' },
  };

  it('is refused in staging and production before anything is decrypted, as one policy problem naming the file and the env', async () => {
    for (const env of ['staging', 'production']) {
      const { dir } = await withSecrets(plain, { env });
      const problems = await problemsOf(
        loadConfig(schema, {
          cwd: dir,
          env: {
            KENOS_ENV: env,
            KENOS_KEY_PROVIDER: 'aws',
            KENOS_KMS_KEY_ID: 'alias/app',
          },
          argv: [],
        }),
      );
      // the keys the file holds are not also reported missing
      expect(problems).toEqual([
        expect.objectContaining({
          kind: 'policy',
          source: `secrets:config/${env}.secrets.yaml`,
        }),
      ]);
      expect(problems[0]?.message).toContain(
        `"${env}" is not a development environment (development, test)`,
      );
      expect(problems[0]?.value).toMatch(/^"local:local-/);
      expect(JSON.stringify(problems)).not.toContain('pw-from-secrets');
    }
  });

  it('is refused in staging with the local key provider too, even though that key would open it', async () => {
    const { dir } = await withSecrets(plain, { env: 'staging' });
    const problems = await problemsOf(
      loadConfig(schema, { cwd: dir, env: { KENOS_ENV: 'staging' }, argv: [] }),
    );
    expect(problems).toEqual([
      expect.objectContaining({
        kind: 'policy',
        source: 'secrets:config/staging.secrets.yaml',
      }),
    ]);
  });

  it('is refused whatever key provider the caller passes', async () => {
    const { dir } = await withSecrets(plain, { env: 'qa' });
    const keyProvider = createLocalKeyProvider({
      keyFile: join(dir, '.kenos/dev.key'),
    });
    const problems = await problemsOf(
      loadConfig(schema, {
        cwd: dir,
        env: { KENOS_ENV: 'qa' },
        argv: [],
        keyProvider,
      }),
    );
    await keyProvider.close();
    expect(problems).toEqual([
      expect.objectContaining({
        kind: 'policy',
        source: 'secrets:config/qa.secrets.yaml',
      }),
    ]);
  });

  it('still lists a problem of the key settings along with the refusal', async () => {
    const { dir } = await withSecrets(plain, { env: 'production' });
    const problems = await problemsOf(
      loadConfig(schema, {
        cwd: dir,
        env: { KENOS_ENV: 'production', KENOS_KEY_PROVIDER: 'aws' },
        argv: [],
      }),
    );
    expect(problems).toEqual([
      expect.objectContaining({
        kind: 'policy',
        source: 'secrets:config/production.secrets.yaml',
      }),
      expect.objectContaining({
        kind: 'missing-required',
        key: 'keys.kmsKeyId',
      }),
    ]);
  });

  it('loads in the development environments, development and test', async () => {
    for (const env of ['development', 'test']) {
      const { dir } = await withSecrets(plain, { env });
      const config = await loadConfig(schema, {
        cwd: dir,
        env: { KENOS_ENV: env },
        argv: [],
      });
      expect(config.apiKey).toBe('key-from-secrets');
    }
  });
});

describe('the environment names', () => {
  it('counts exactly development and test as development environments', () => {
    expect(
      [
        'development',
        'test',
        'staging',
        'production',
        'dev',
        'Development',
      ].filter(isDevelopmentEnv),
    ).toEqual(['development', 'test']);
  });

  it('reads the environment of a secrets file from its name <env>.secrets.<ext>', () => {
    expect(secretsFileEnv('config/production.secrets.yaml')).toBe('production');
    expect(secretsFileEnv('/repo/config/staging-eu.secrets.json')).toBe(
      'staging-eu',
    );
    expect(secretsFileEnv('config/test.secrets.yml')).toBe('test');
    expect(secretsFileEnv('config/secrets.production.yaml')).toBeUndefined();
    expect(secretsFileEnv('config/production.yaml')).toBeUndefined();
  });
});
