import { describe, expect, it } from 'vitest';
import {
  configDocs,
  defineConfigSchema,
  describeConfig,
  loadConfig,
  standardConfigSchema,
} from '../src/index.js';
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
      default: undefined,
      env: 'DB_PASSWORD',
    },
  },
  mode: {
    doc: 'Fast or safe | pick one',
    format: ['fast', 'safe'],
    default: 'safe',
  },
  nickname: { format: 'string', default: null, nullable: true },
});

describe('describeConfig', () => {
  it('lists every key with its masked value, source, env var and sensitivity', async () => {
    const cwd = serviceDir({ 'config/default.yaml': 'mode: fast\n' });
    const config = await loadConfig(schema, {
      cwd,
      env: { DB_PASSWORD: 'do-not-print-me', HTTP_PORT: '8081' },
      argv: ['--grpc.port=6000'],
    });
    const rows = describeConfig(config);
    expect(rows.map((r) => r.key)).toEqual([
      'env',
      'service.name',
      'service.version',
      'http.port',
      'http.maxConnections',
      'grpc.port',
      'grpc.maxConnections',
      'admin.port',
      'admin.host',
      'admin.token',
      'log.level',
      'log.format',
      'shutdown.delayMs',
      'shutdown.timeoutMs',
      'batch.metricsLingerMs',
      'queue.url',
      'keys.provider',
      'keys.localKeyFile',
      'keys.kmsKeyId',
      'keys.kmsEndpoint',
      'db.url',
      'db.password',
      'mode',
      'nickname',
    ]);
    const byKey = new Map(rows.map((r) => [r.key, r]));
    expect(byKey.get('db.password')).toEqual({
      key: 'db.password',
      value: '[sensitive]',
      source: 'env:DB_PASSWORD',
      env: 'DB_PASSWORD',
      sensitive: true,
    });
    expect(byKey.get('http.port')).toMatchObject({
      value: '8081',
      source: 'env:HTTP_PORT',
      sensitive: false,
    });
    expect(byKey.get('grpc.port')).toMatchObject({
      value: '6000',
      source: 'arg:--grpc.port',
    });
    expect(byKey.get('mode')).toMatchObject({
      value: '"fast"',
      source: 'file:config/default.yaml',
      env: '',
    });
    expect(byKey.get('env')).toMatchObject({
      value: '"development"',
      env: 'KENOS_ENV, NODE_ENV',
      source: 'default',
    });
    expect(byKey.get('nickname')).toMatchObject({ value: 'null' });
    expect(JSON.stringify(rows)).not.toContain('do-not-print-me');
  });

  it('refuses an object that loadConfig did not return', () => {
    expect(() => describeConfig({})).toThrowError(/not a config object/);
  });
});

describe('configDocs', () => {
  it('writes a Markdown table of every key, standard ones first', () => {
    const lines = configDocs(schema).trimEnd().split('\n');
    expect(lines[0]).toBe(
      '| Key | Format | Default | Env var | Description | Sensitive |',
    );
    expect(lines[1]).toBe('| --- | --- | --- | --- | --- | --- |');
    expect(lines).toHaveLength(2 + 24);
    expect(lines).toContain(
      '| `http.port` | `port` | `8080` | `HTTP_PORT` | REST (express) listener port; 0 = ephemeral. |  |',
    );
    expect(lines).toContain(
      '| `db.password` | `secret` | *required* | `DB_PASSWORD` | Database password | yes |',
    );
    expect(lines).toContain(
      '| `mode` | "fast" \\| "safe" | `"safe"` |  | Fast or safe \\| pick one |  |',
    );
    expect(lines).toContain(
      '| `nickname` | `string or null` | `null` |  |  |  |',
    );
    expect(lines.find((l) => l.startsWith('| `shutdown.delayMs`'))).toContain(
      '`5000` on Kubernetes, `0` elsewhere',
    );
    expect(
      lines.find((l) => l.startsWith('| `batch.metricsLingerMs`')),
    ).toContain('`20000` on Kubernetes, `0` elsewhere');
    expect(lines.find((l) => l.startsWith('| `env`'))).toContain(
      '`KENOS_ENV`, `NODE_ENV`',
    );
  });

  it('documents the standard keys for an empty service schema', () => {
    const lines = configDocs(defineConfigSchema({})).trimEnd().split('\n');
    const keys = (node: object, prefix = ''): string[] =>
      Object.entries(node).flatMap(([k, v]) =>
        'default' in (v as object)
          ? [`${prefix}${k}`]
          : keys(v as object, `${prefix}${k}.`),
      );
    expect(lines.slice(2).map((l) => /^\| `([^`]+)`/.exec(l)?.[1])).toEqual(
      keys(standardConfigSchema),
    );
  });

  it('shows a service override of a standard default', () => {
    expect(
      configDocs(defineConfigSchema({ http: { port: { default: 3000 } } })),
    ).toContain('| `http.port` | `port` | `3000` |');
  });
});
