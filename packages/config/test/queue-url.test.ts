import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { createLogger, flushLogs } from '@kenos/logger';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  describeConfig,
  loadConfig,
  type ConfigWarning,
} from '../src/index.js';
import { serviceDir } from './helpers.js';

const PASSWORD = 's3cr3t/pa:ss';
const URL_WITH_PASSWORD = `redis://worker:${encodeURIComponent(PASSWORD)}@redis.internal:6379/2`;

async function problemsOf(env: Record<string, string>): Promise<string[]> {
  try {
    await loadConfig({}, { cwd: serviceDir(), env, argv: [] });
  } catch (err) {
    if (err instanceof ConfigError)
      return err.problems.map((p) => `${p.key}: ${p.message} (${p.value})`);
    throw err;
  }
  return [];
}

describe('the standard queue.url key', () => {
  it('is empty by default: no queue configured', async () => {
    const config = await loadConfig(
      {},
      { cwd: serviceDir(), env: {}, argv: [] },
    );
    expect(config.queue.url).toBe('');
    expect(config.sourceOf('queue.url')).toBe('default');
  });

  it('takes a redis:// or rediss:// URL from REDIS_URL', async () => {
    const config = await loadConfig(
      {},
      {
        cwd: serviceDir(),
        env: { REDIS_URL: 'rediss://redis.internal:6380' },
        argv: [],
      },
    );
    expect(config.queue.url).toBe('rediss://redis.internal:6380');
    expect(config.sourceOf('queue.url')).toBe('env:REDIS_URL');
  });

  it('reads REDIS_URL_FILE, as every standard key reads NAME_FILE', async () => {
    const dir = serviceDir();
    writeFileSync(join(dir, 'redis-url'), `${URL_WITH_PASSWORD}\n`);
    const config = await loadConfig(
      {},
      { cwd: dir, env: { REDIS_URL_FILE: 'redis-url' }, argv: [] },
    );
    expect(config.queue.url).toBe(URL_WITH_PASSWORD);
  });

  it('refuses a URL of another scheme or without a host, naming the key and what it expects', async () => {
    for (const bad of [
      'http://redis:6379',
      'redis.internal:6379',
      'redis://',
    ]) {
      const problems = await problemsOf({ REDIS_URL: bad });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(
        /^queue\.url: must be empty \(no queue\) or a redis:\/\/ or rediss:\/\/ URL/,
      );
    }
  });

  it('never shows the URL in a problem: the value is masked', async () => {
    const problems = await problemsOf({
      REDIS_URL: `http://u:${PASSWORD}@cache.internal:6380`,
    });
    expect(problems.join('\n')).not.toContain(PASSWORD);
    expect(problems.join('\n')).not.toContain('cache.internal');
  });

  it('masks the whole URL in every dump of the config', async () => {
    const config = await loadConfig(
      {},
      { cwd: serviceDir(), env: { REDIS_URL: URL_WITH_PASSWORD }, argv: [] },
    );
    const dumps = [
      JSON.stringify(config),
      config.toString(),
      inspect(config, { depth: 5 }),
      JSON.stringify(describeConfig(config).map((row) => [row.key, row.value])),
    ];
    for (const dump of dumps) {
      expect(dump).not.toContain('redis.internal');
      expect(dump).not.toContain(encodeURIComponent(PASSWORD));
      expect(dump).not.toContain(PASSWORD);
    }
  });

  it('scrubs the URL and its password, encoded and decoded, from every log line', async () => {
    const lines: string[] = [];
    const logger = createLogger({
      service: 'orders',
      version: '1.0.0',
      env: 'test',
      component: 'worker:emails',
      destination: { write: (line: string) => void lines.push(line) },
    });
    const config = await loadConfig(
      {},
      { cwd: serviceDir(), env: { REDIS_URL: URL_WITH_PASSWORD }, argv: [] },
    );
    const parsed = new URL(config.queue.url);
    logger.info({ url: config.queue.url }, 'connecting');
    // what a client library shows of its options or in an error, without the rest of the URL
    logger.warn(
      { options: { host: parsed.hostname, password: parsed.password } },
      `AUTH failed with ${decodeURIComponent(parsed.password)}`,
    );
    logger.error({ detail: `auth ${PASSWORD} refused` }, 'redis error');
    await flushLogs();
    const output = lines.join('');
    expect(lines).toHaveLength(3);
    expect(output).toContain('redis.internal');
    expect(output).not.toContain(URL_WITH_PASSWORD);
    expect(output).not.toContain(encodeURIComponent(PASSWORD));
    expect(output).not.toContain(PASSWORD);
  });

  it('warns, naming the key, when the password in the URL is too short to scrub by value', async () => {
    const warnings: ConfigWarning[] = [];
    await loadConfig(
      {},
      {
        cwd: serviceDir(),
        env: { REDIS_URL: 'redis://:pw@redis.internal:6379' },
        argv: [],
        onWarning: (w) => void warnings.push(w),
      },
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.code).toBe('KENOS_ERR_CONFIG_SECRET_TOO_SHORT');
    expect(warnings[0]?.key).toBe('queue.url');
    expect(warnings[0]?.message).toContain('the password of the sensitive URL');
    expect(warnings[0]?.message).not.toContain('redis.internal');
  });
});
