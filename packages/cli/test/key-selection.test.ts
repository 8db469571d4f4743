import type { KmsLocal } from '@kenos/crypto/kms-local';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKenos } from './kenos-process.js';

const PLAIN = 'db:\n  password: hunter2-hunter2\n';
const PLAIN_JSON = '{ "db": { "password": "hunter2-hunter2" } }\n';

/** The rules docs/cli.md and the CLI README show, with the KMS aliases of kms-local. */
const DOCUMENTED_RULES = {
  rules: [
    {
      pathRegex: '^config/(development|test)\\.secrets\\.',
      localKey: '.kenos/dev.key',
    },
    {
      pathRegex: '^config/production\\.secrets\\.',
      kmsKeyIds: ['alias/orders-prod'],
    },
    {
      pathRegex: '^config/[^/]+\\.secrets\\.',
      kmsKeyIds: ['alias/orders-staging'],
    },
    { localKey: '.kenos/dev.key' },
  ],
};

/** The rules the docs showed before: production files named secrets.production.* never matched. */
const OLD_RULES = {
  rules: [
    {
      pathRegex: '^config/secrets\\.production\\.',
      kmsKeyIds: ['alias/orders-prod'],
    },
    { pathRegex: '^config/secrets\\.', localKey: '.kenos/dev.key' },
    { localKey: '.kenos/dev.key' },
  ],
};

describe('kenos secrets and the environment of a secret file', () => {
  let dir: string;
  let kms: KmsLocal;
  let env: Record<string, string>;

  /** A repository with .kenos/dev.key, the given rules and plaintext config/<name> files. */
  async function repo(rules: unknown, files: string[]): Promise<string> {
    const root = mkdtempSync(join(dir, 'repo-'));
    const keyed = await runKenos([
      'local-key',
      'generate',
      join(root, '.kenos', 'dev.key'),
    ]);
    expect(keyed.code).toBe(0);
    writeFileSync(join(root, '.kenos-keys.json'), JSON.stringify(rules));
    mkdirSync(join(root, 'config'));
    for (const file of files)
      writeFileSync(
        join(root, 'config', file),
        file.endsWith('.json') ? PLAIN_JSON : PLAIN,
      );
    return root;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kenos-cli-'));
    const { startKmsLocal } = await import('@kenos/crypto/kms-local');
    kms = await startKmsLocal();
    const call = async (op: string, body: unknown) =>
      (await (
        await fetch(kms.url, {
          method: 'POST',
          headers: { 'x-amz-target': `TrentService.${op}` },
          body: JSON.stringify(body),
        })
      ).json()) as { KeyMetadata: { KeyId: string } };
    for (const alias of ['alias/orders-prod', 'alias/orders-staging']) {
      const created = await call('CreateKey', {});
      await call('CreateAlias', {
        AliasName: alias,
        TargetKeyId: created.KeyMetadata.KeyId,
      });
    }
    env = {
      AWS_ENDPOINT_URL_KMS: kms.url,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    };
  });
  afterAll(async () => {
    await kms.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to encrypt config/production.secrets.yaml with the development key of a catch-all rule, naming the rule and the env', async () => {
    const root = await repo(OLD_RULES, ['production.secrets.yaml']);
    const r = await runKenos(
      ['secrets', 'encrypt', 'config/production.secrets.yaml'],
      { cwd: root, env },
    );
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(
      'refusing to encrypt config/production.secrets.yaml with a local key',
    );
    expect(r.stderr).toContain('env "production"');
    expect(r.stderr).toContain(
      `rule 3 of ${join(root, '.kenos-keys.json')} (no pathRegex: matches every file)`,
    );
    expect(r.stderr).toContain('(KENOS_ERR_CLI_LOCAL_KEY_REFUSED)');
    expect(
      readFileSync(join(root, 'config/production.secrets.yaml'), 'utf8'),
    ).toBe(PLAIN);
  });

  it('refuses a --local-key for a staging file in encrypt, edit, rotate and updatekeys, but lets decrypt read it', async () => {
    const root = await repo({ rules: [] }, ['staging.secrets.yaml']);
    const key = join(root, '.kenos', 'dev.key');
    for (const action of ['encrypt', 'edit', 'rotate', 'updatekeys']) {
      const r = await runKenos(
        ['secrets', action, 'config/staging.secrets.yaml', '--local-key', key],
        { cwd: root, env },
      );
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        `refusing to ${action} config/staging.secrets.yaml with a local key`,
      );
      expect(r.stderr).toContain(`came from --local-key ${key}`);
    }
    const both = await runKenos(
      [
        'secrets',
        'updatekeys',
        'config/staging.secrets.yaml',
        '--kms-key-id',
        'alias/orders-staging',
        '--local-key',
        key,
      ],
      { cwd: root, env },
    );
    expect(both.code).toBe(2);
    expect(
      readFileSync(join(root, 'config/staging.secrets.yaml'), 'utf8'),
    ).toBe(PLAIN);
    const decrypt = await runKenos(
      ['secrets', 'decrypt', 'config/staging.secrets.yaml', '--local-key', key],
      { cwd: root, env },
    );
    expect(decrypt.stderr).not.toContain('KENOS_ERR_CLI_LOCAL_KEY_REFUSED');
  });

  it('follows the documented rules: production and staging files on KMS, development and test files on the local key', async () => {
    const files = [
      'production.secrets.yaml',
      'staging.secrets.json',
      'development.secrets.yaml',
      'test.secrets.yml',
    ];
    const root = await repo(DOCUMENTED_RULES, files);
    for (const file of files) {
      const r = await runKenos(['secrets', 'encrypt', `config/${file}`], {
        cwd: root,
        env,
      });
      expect(r.stderr).toBe(`kenos secrets: encrypted config/${file}\n`);
      expect(r.code).toBe(0);
    }
    const providers = (file: string) =>
      readFileSync(join(root, 'config', file), 'utf8').match(
        /provider"?: "?(local|aws-kms)/g,
      );
    expect(providers('production.secrets.yaml')).toEqual(['provider: aws-kms']);
    expect(providers('staging.secrets.json')).toEqual(['provider": "aws-kms']);
    expect(providers('development.secrets.yaml')).toEqual(['provider: local']);
    expect(providers('test.secrets.yml')).toEqual(['provider: local']);
    const dec = await runKenos(
      ['secrets', 'decrypt', 'config/production.secrets.yaml'],
      { cwd: root, env },
    );
    expect(dec).toMatchObject({ code: 0, stdout: PLAIN });
  });

  it('is what docs/cli.md and the CLI README show: the same rules, and secret files named config/<env>.secrets.*', () => {
    for (const doc of ['../../../docs/cli.md', '../README.md']) {
      const text = readFileSync(new URL(doc, import.meta.url), 'utf8');
      const blocks = [...text.matchAll(/```json\n([\s\S]*?)```/g)]
        .map((m) => m[1] ?? '')
        .filter((block) => block.includes('"rules"'));
      expect(blocks.map((block) => JSON.parse(block))).toEqual([
        DOCUMENTED_RULES,
      ]);
      const named = text.match(/config\/[\w.<>-]*secrets[\w.<>{},-]*/g) ?? [];
      expect(named.length).toBeGreaterThan(0);
      for (const path of named)
        expect(path).toMatch(/^config\/(<env>|[a-z]+)\.secrets\./);
    }
  });

  it('names the rule of an invalid pathRegex, with the regular expression error as the cause', async () => {
    const root = await repo({ rules: [{ pathRegex: '^config/(' }] }, []);
    const r = await runKenos(['secrets', 'encrypt', 'config/x.yaml'], {
      cwd: root,
    });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(
      `rule 1 of ${join(root, '.kenos-keys.json')} has an invalid pathRegex "^config/(" (KENOS_ERR_CLI_INPUT); caused by: SyntaxError: Invalid regular expression`,
    );
  });

  it('encrypts a file whose name carries no environment with a local key', async () => {
    const root = await repo(OLD_RULES, ['shared.yaml']);
    const r = await runKenos(['secrets', 'encrypt', 'config/shared.yaml'], {
      cwd: root,
      env,
    });
    expect(r.code).toBe(0);
  });
});
