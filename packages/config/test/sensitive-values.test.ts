import { createLogger, flushLogs } from '@kenos/logger';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  defineConfigSchema,
  loadConfig,
  type ConfigWarning,
  type LoadConfigOptions,
} from '../src/index.js';
import { serviceDir } from './helpers.js';

const schema = defineConfigSchema({
  db: {
    password: { format: 'secret', default: undefined, env: 'DB_PASSWORD' },
  },
  webhook: { format: Object, default: {}, sensitive: true, env: 'WEBHOOK' },
});

async function load(
  env: Record<string, string>,
): Promise<{ warnings: ConfigWarning[] }> {
  const warnings: ConfigWarning[] = [];
  const options: LoadConfigOptions = {
    cwd: serviceDir(),
    env,
    argv: [],
    onWarning: (w) => void warnings.push(w),
  };
  await loadConfig(schema, options);
  return { warnings };
}

describe('sensitive values the logger cannot scrub well', () => {
  it('warns once, naming the key and never the value, about a sensitive value shorter than 6 characters', async () => {
    const { warnings } = await load({
      DB_PASSWORD: 'pw-long-enough',
      WEBHOOK: '{"token":"tk9"}',
    });
    expect(warnings).toEqual([
      {
        code: 'KENOS_ERR_CONFIG_SECRET_TOO_SHORT',
        key: 'webhook.token',
        source: 'env:WEBHOOK',
        message: expect.stringContaining('webhook.token'),
      },
    ]);
    expect(JSON.stringify(warnings)).not.toContain('tk9');
  });

  it('refuses a sensitive value shorter than 6 characters in production, with a policy problem naming the key', async () => {
    const env = {
      NODE_ENV: 'production',
      KENOS_KEY_PROVIDER: 'aws',
      DB_PASSWORD: 'abc12',
    };
    const error = await loadConfig(schema, {
      cwd: serviceDir(),
      env,
      argv: [],
      onWarning: () => undefined,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      expect.objectContaining({
        kind: 'policy',
        key: 'db.password',
        env: 'DB_PASSWORD',
        source: 'env:DB_PASSWORD',
        value: '[sensitive]',
      }),
    ]);
    expect((error as ConfigError).message).toMatch(
      /db\.password .*shorter than 6 characters.*production refuses it/,
    );
    expect((error as ConfigError).message).not.toContain('abc12');
  });

  it('warns about a sensitive value that occurs in the standard fields of every line, and still scrubs it', async () => {
    const { warnings } = await load({
      KENOS_ENV: 'staging',
      SERVICE_NAME: 'orders-api',
      DB_PASSWORD: 'staging',
      WEBHOOK: '{"a":"orders-api","b":"silent","c":"request_id"}',
    });
    expect(warnings.map((w) => [w.code, w.key])).toEqual([
      ['KENOS_ERR_CONFIG_SECRET_COMMON', 'db.password'],
      ['KENOS_ERR_CONFIG_SECRET_COMMON', 'webhook.a'],
      ['KENOS_ERR_CONFIG_SECRET_COMMON', 'webhook.b'],
      ['KENOS_ERR_CONFIG_SECRET_COMMON', 'webhook.c'],
    ]);
    expect(warnings[0]!.message).toMatch(/db\.password .*env field/);
    expect(warnings.map((w) => w.message).join()).not.toMatch(
      /staging|orders-api|silent|request_id/,
    );
    const lines: string[] = [];
    const logger = createLogger({
      service: 'x',
      version: '1',
      env: 'test',
      component: 'api',
      destination: { write: (l: string) => void lines.push(l) },
    });
    logger.info('deploying to staging');
    await flushLogs();
    expect(lines.at(-1)).toContain('deploying to [REDACTED]');
  });

  it('says nothing about long, uncommon or empty sensitive values', async () => {
    const { warnings } = await load({
      DB_PASSWORD: 'Zq3+kP9/Lm2x',
      WEBHOOK: '{"token":"","other":"long-enough-value"}',
    });
    expect(warnings).toEqual([]);
  });

  it('emits a process warning with the code by default', async () => {
    const seen: Error[] = [];
    const listener = (w: Error): void => void seen.push(w);
    process.on('warning', listener);
    try {
      await loadConfig(schema, {
        cwd: serviceDir(),
        env: { DB_PASSWORD: 'pw' },
        argv: [],
      });
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', listener);
    }
    expect(seen).toEqual([
      expect.objectContaining({
        name: 'KenosConfigWarning',
        code: 'KENOS_ERR_CONFIG_SECRET_TOO_SHORT',
      }),
    ]);
    expect(seen[0]!.message).toContain('db.password');
  });
});
