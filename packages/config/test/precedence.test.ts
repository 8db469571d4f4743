import { describe, expect, it } from 'vitest';
import { defineConfigSchema, loadConfig } from '../src/index.js';
import { serviceDir } from './helpers.js';

const schema = defineConfigSchema({
  db: {
    url: {
      doc: 'Database URL',
      format: 'url',
      default: 'postgres://localhost/app',
      env: 'DB_URL',
    },
    password: {
      doc: 'Database password',
      format: 'secret',
      default: 'dev-password',
      env: 'DB_PASSWORD',
    },
    poolSize: { format: 'nat', default: 10, env: 'DB_POOL_SIZE', arg: 'pool' },
    timeout: { format: 'duration', default: '5s', env: 'DB_TIMEOUT' },
  },
  mode: { format: ['fast', 'safe'], default: 'safe', env: 'MODE' },
  verbose: { format: Boolean, default: false, env: 'VERBOSE' },
});

const files = {
  'config/default.yaml': 'db:\n  poolSize: 11\n  timeout: 1m\nmode: fast\n',
  'config/staging.json': JSON.stringify({ db: { poolSize: 12 } }),
};

describe('loadConfig precedence (defaults < default file < env file < env vars < arguments)', () => {
  it('uses the schema defaults when no source sets a key', async () => {
    const config = await loadConfig(schema, {
      cwd: serviceDir(),
      env: {},
      argv: [],
    });
    expect(config.db.poolSize).toBe(10);
    expect(config.db.timeout).toBe(5000);
    expect(config.env).toBe('development');
    expect(config.http.port).toBe(8080);
    expect(config.sourceOf('db.poolSize')).toBe('default');
  });

  it('lets config/default.yaml override the defaults', async () => {
    const config = await loadConfig(schema, {
      cwd: serviceDir(files),
      env: {},
      argv: [],
    });
    expect(config.db.poolSize).toBe(11);
    expect(config.db.timeout).toBe(60_000);
    expect(config.mode).toBe('fast');
    expect(config.sourceOf('db.poolSize')).toBe('file:config/default.yaml');
    expect(config.sourceOf('db.url')).toBe('default');
  });

  it('lets config/<env>.json (env from KENOS_ENV) override config/default.yaml', async () => {
    const config = await loadConfig(schema, {
      cwd: serviceDir(files),
      env: { KENOS_ENV: 'staging' },
      argv: [],
    });
    expect(config.env).toBe('staging');
    expect(config.db.poolSize).toBe(12);
    expect(config.sourceOf('db.poolSize')).toBe('file:config/staging.json');
    expect(config.mode).toBe('fast');
  });

  it('prefers KENOS_ENV over NODE_ENV and reads NODE_ENV alone', async () => {
    const dir = serviceDir(files);
    const both = await loadConfig(schema, {
      cwd: dir,
      env: { KENOS_ENV: 'staging', NODE_ENV: 'test' },
      argv: [],
    });
    expect(both.env).toBe('staging');
    expect(both.sourceOf('env')).toBe('env:KENOS_ENV');
    const nodeEnv = await loadConfig(schema, {
      cwd: dir,
      env: { NODE_ENV: 'staging' },
      argv: [],
    });
    expect(nodeEnv.db.poolSize).toBe(12);
    expect(nodeEnv.sourceOf('env')).toBe('env:NODE_ENV');
  });

  it('reads config/<env>.yml files too', async () => {
    const dir = serviceDir({ 'config/default.yml': 'db:\n  poolSize: 3\n' });
    const config = await loadConfig(schema, { cwd: dir, env: {}, argv: [] });
    expect(config.db.poolSize).toBe(3);
  });

  it('lets environment variables override the files, coercing their text', async () => {
    const config = await loadConfig(schema, {
      cwd: serviceDir(files),
      env: {
        KENOS_ENV: 'staging',
        DB_POOL_SIZE: '13',
        DB_TIMEOUT: '2m',
        VERBOSE: 'true',
        HTTP_PORT: '0',
      },
      argv: [],
    });
    expect(config.db.poolSize).toBe(13);
    expect(config.db.timeout).toBe(120_000);
    expect(config.verbose).toBe(true);
    expect(config.http.port).toBe(0);
    expect(config.sourceOf('db.poolSize')).toBe('env:DB_POOL_SIZE');
  });

  it('lets command-line arguments override environment variables', async () => {
    const config = await loadConfig(schema, {
      cwd: serviceDir(files),
      env: { DB_POOL_SIZE: '13', HTTP_PORT: '8081' },
      argv: [
        'api',
        '--http.port=8082',
        '--pool',
        '14',
        '--verbose',
        '--db.timeout=90s',
        '--not-config',
      ],
    });
    expect(config.http.port).toBe(8082);
    expect(config.db.poolSize).toBe(14);
    expect(config.verbose).toBe(true);
    expect(config.db.timeout).toBe(90_000);
    expect(config.sourceOf('http.port')).toBe('arg:--http.port');
    expect(config.sourceOf('db.poolSize')).toBe('arg:--pool');
  });

  it('selects the env files from --env', async () => {
    const config = await loadConfig(schema, {
      cwd: serviceDir(files),
      env: { KENOS_ENV: 'other' },
      argv: ['--env=staging'],
    });
    expect(config.db.poolSize).toBe(12);
  });

  it('reads NAME_FILE variables from a file, trimming one trailing newline', async () => {
    const dir = serviceDir({
      'secrets/db-password': 's3cret-value\n\n',
      'secrets/pool': '15\n',
    });
    const config = await loadConfig(schema, {
      cwd: dir,
      env: {
        DB_PASSWORD_FILE: `${dir}/secrets/db-password`,
        DB_POOL_SIZE_FILE: 'secrets/pool',
      },
      argv: [],
    });
    expect(config.db.password).toBe('s3cret-value\n');
    expect(config.db.poolSize).toBe(15);
    expect(config.sourceOf('db.password')).toBe('env:DB_PASSWORD_FILE');
  });

  it('defaults shutdown.delayMs to 5000 on Kubernetes and to 0 elsewhere', async () => {
    const dir = serviceDir();
    const k8s = await loadConfig(schema, {
      cwd: dir,
      env: { KUBERNETES_SERVICE_HOST: '10.0.0.1' },
      argv: [],
    });
    expect(k8s.shutdown.delayMs).toBe(5000);
    const local = await loadConfig(schema, { cwd: dir, env: {}, argv: [] });
    expect(local.shutdown.delayMs).toBe(0);
    const set = await loadConfig(schema, {
      cwd: dir,
      env: { SHUTDOWN_DELAY_MS: '2s' },
      argv: [],
    });
    expect(set.shutdown.delayMs).toBe(2000);
    expect(k8s.shutdown.timeoutMs).toBe(30_000);
  });

  it('defaults batch.metricsLingerMs to 20000 on Kubernetes (above a 15 s scrape interval) and to 0 elsewhere', async () => {
    const dir = serviceDir();
    const k8s = await loadConfig(schema, {
      cwd: dir,
      env: { KUBERNETES_SERVICE_HOST: '10.0.0.1' },
      argv: [],
    });
    expect(k8s.batch.metricsLingerMs).toBe(20_000);
    const local = await loadConfig(schema, { cwd: dir, env: {}, argv: [] });
    expect(local.batch.metricsLingerMs).toBe(0);
    const set = await loadConfig(schema, {
      cwd: dir,
      env: { BATCH_METRICS_LINGER_MS: '3s' },
      argv: [],
    });
    expect(set.batch.metricsLingerMs).toBe(3000);
  });

  it('keeps a service-chosen shutdown.delayMs default off Kubernetes', async () => {
    const custom = defineConfigSchema({
      shutdown: { delayMs: { default: 1000 } },
    });
    const config = await loadConfig(custom, {
      cwd: serviceDir(),
      env: {},
      argv: [],
    });
    expect(config.shutdown.delayMs).toBe(1000);
  });

  it('reads process.env and process.argv when no options are given', async () => {
    const previous = process.env['HTTP_PORT'];
    process.env['HTTP_PORT'] = '8099';
    try {
      const config = await loadConfig(
        defineConfigSchema({ extra: { default: 'x' } }),
        { cwd: serviceDir() },
      );
      expect(config.http.port).toBe(8099);
    } finally {
      if (previous === undefined) delete process.env['HTTP_PORT'];
      else process.env['HTTP_PORT'] = previous;
    }
  });
});
