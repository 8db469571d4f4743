import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  defineConfigSchema,
  loadConfig,
  type ConfigProblem,
  type LoadConfigOptions,
} from '../src/index.js';
import { serviceDir } from './helpers.js';

const schema = defineConfigSchema({
  db: {
    url: { format: 'url', default: 'postgres://localhost/app', env: 'DB_URL' },
    password: { format: 'secret', default: undefined, env: 'DB_PASSWORD' },
    poolSize: { format: 'nat', default: 10, env: 'DB_POOL_SIZE' },
  },
  apiKey: { format: 'string', default: '', env: 'API_KEY', sensitive: true },
  callbackUrl: {
    format: 'url',
    default: 'http://localhost/cb',
    env: 'CALLBACK_URL',
    sensitive: true,
  },
  name: { format: 'non-empty-string', default: 'orders', env: 'NAME' },
});

const ok = { DB_PASSWORD: 'hunter2-long' };

async function problemsOf(
  options: LoadConfigOptions,
): Promise<{ error: ConfigError; problems: readonly ConfigProblem[] }> {
  const error = await loadConfig(schema, { argv: [], ...options }).then(
    () => expect.unreachable('loadConfig should have failed'),
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(ConfigError);
  const configError = error as ConfigError;
  expect(configError.code).toBe('KENOS_ERR_CONFIG_INVALID');
  return { error: configError, problems: configError.problems };
}

describe('loadConfig rejects bad input with one ConfigError listing every problem', () => {
  it('reports malformed JSON with line and column', async () => {
    const cwd = serviceDir({
      'config/default.json': '{\n  "db": {\n    "poolSize": 3,\n  }\n}\n',
    });
    const { problems, error } = await problemsOf({ cwd, env: ok });
    expect(problems).toEqual([
      expect.objectContaining({
        kind: 'parse-error',
        source: 'file:config/default.json',
        line: 4,
        column: 3,
      }),
    ]);
    expect(error.message).toContain(
      'file:config/default.json:4:3: malformed JSON at line 4, column 3',
    );
  });

  it('reports malformed YAML with line and column', async () => {
    const cwd = serviceDir({
      'config/development.yaml': 'db:\n  poolSize: 3\n  url: a: b\n',
    });
    const { problems } = await problemsOf({ cwd, env: ok });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      kind: 'parse-error',
      source: 'file:config/development.yaml',
      line: 3,
      column: 8,
    });
    expect(problems[0]?.message).toMatch(
      /^malformed YAML at line 3, column 8: Nested mappings/,
    );
  });

  it('reports a duplicate JSON key (which JSON.parse would drop) with line and column', async () => {
    const cwd = serviceDir({
      'config/default.json': '{\n  "name": "a",\n  "name": "b"\n}\n',
    });
    const { problems } = await problemsOf({ cwd, env: ok });
    expect(problems).toEqual([
      expect.objectContaining({ kind: 'parse-error', line: 3, column: 3 }),
    ]);
    expect(problems[0]?.message).toMatch(/unique/i);
  });

  it('reports a duplicate YAML key as a parse error', async () => {
    const cwd = serviceDir({ 'config/default.yaml': 'name: a\nname: b\n' });
    const { problems } = await problemsOf({ cwd, env: ok });
    expect(problems[0]).toMatchObject({ kind: 'parse-error', line: 2 });
  });

  it.each([
    ['a YAML list', 'config/default.yaml', '- a\n- b\n', /not an array/],
    ['a JSON string', 'config/default.json', '"text"', /not a string/],
    ['a JSON number', 'config/default.json', '42', /not a number/],
  ])(
    'reports a file that holds %s instead of an object',
    async (_name, path, content, message) => {
      const { problems } = await problemsOf({
        cwd: serviceDir({ [path]: content }),
        env: ok,
      });
      expect(problems).toEqual([
        expect.objectContaining({
          kind: 'not-an-object',
          source: `file:${path}`,
        }),
      ]);
      expect(problems[0]?.message).toMatch(message);
    },
  );

  it('accepts an empty config file', async () => {
    const config = await loadConfig(schema, {
      cwd: serviceDir({ 'config/default.yaml': '' }),
      env: ok,
      argv: [],
    });
    expect(config.db.poolSize).toBe(10);
  });

  it('reports an env var with a wrong type, naming the key, env var, source, expectation and value', async () => {
    const { problems } = await problemsOf({
      cwd: serviceDir(),
      env: { ...ok, DB_POOL_SIZE: 'ten' },
    });
    expect(problems).toEqual([
      {
        kind: 'invalid-value',
        key: 'db.poolSize',
        env: 'DB_POOL_SIZE',
        source: 'env:DB_POOL_SIZE',
        expected: 'an integer >= 0',
        value: '"ten"',
        message: 'must be an integer >= 0',
      },
    ]);
  });

  it('does not accept a number with trailing garbage (convict would parseInt it)', async () => {
    const { problems } = await problemsOf({
      cwd: serviceDir(),
      env: { ...ok, HTTP_PORT: '80abc' },
    });
    expect(problems).toEqual([
      expect.objectContaining({ key: 'http.port', value: '"80abc"' }),
    ]);
  });

  it('reports out-of-range values', async () => {
    const { problems } = await problemsOf({
      cwd: serviceDir(),
      env: { ...ok, HTTP_PORT: '65536', DB_POOL_SIZE: '-1' },
    });
    expect(problems.map((p) => p.key).sort()).toEqual([
      'db.poolSize',
      'http.port',
    ]);
  });

  it('reports two problems in different sources at once', async () => {
    const cwd = serviceDir({
      'config/default.yaml': 'db:\n  poolSize: many\n',
    });
    const { problems, error } = await problemsOf({
      cwd,
      env: { ...ok, GRPC_PORT: 'x' },
      argv: ['--admin.port=-5'],
    });
    expect(problems).toHaveLength(3);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          key: 'db.poolSize',
          source: 'file:config/default.yaml',
        }),
        expect.objectContaining({ key: 'grpc.port', source: 'env:GRPC_PORT' }),
        expect.objectContaining({
          key: 'admin.port',
          source: 'arg:--admin.port',
        }),
      ]),
    );
    expect(error.message).toMatch(/^Invalid configuration \(3 problems\):/);
    for (const key of ['db.poolSize', 'grpc.port', 'admin.port'])
      expect(error.message).toContain(key);
  });

  it('reports an unknown key in a file and in the arguments', async () => {
    const cwd = serviceDir({
      'config/default.json': JSON.stringify({
        db: { user: 'x' },
        colour: 'red',
      }),
    });
    const { problems } = await problemsOf({
      cwd,
      env: ok,
      argv: ['--db.host=x', '--unrelated-flag'],
    });
    expect(problems.map((p) => [p.kind, p.key, p.source])).toEqual([
      ['unknown-key', 'db.user', 'file:config/default.json'],
      ['unknown-key', 'colour', 'file:config/default.json'],
      ['unknown-key', 'db.host', 'arg:--db.host'],
    ]);
  });

  it('reports a value where a group of keys belongs', async () => {
    const cwd = serviceDir({ 'config/default.yaml': 'db: postgres://x\n' });
    const { problems } = await problemsOf({ cwd, env: ok });
    expect(problems).toEqual([
      expect.objectContaining({
        kind: 'invalid-value',
        key: 'db',
        expected: 'an object',
      }),
    ]);
  });

  it('reports a missing required value with the env var that sets it', async () => {
    const { problems } = await problemsOf({ cwd: serviceDir(), env: {} });
    expect(problems).toEqual([
      expect.objectContaining({
        kind: 'missing-required',
        key: 'db.password',
        env: 'DB_PASSWORD',
      }),
    ]);
    expect(problems[0]?.message).toContain('DB_PASSWORD_FILE');
  });

  it('reports an empty required env var', async () => {
    const { problems } = await problemsOf({
      cwd: serviceDir(),
      env: { DB_PASSWORD: '' },
    });
    expect(problems).toEqual([
      expect.objectContaining({
        kind: 'missing-required',
        key: 'db.password',
        source: 'env:DB_PASSWORD',
      }),
    ]);
    expect(problems[0]?.message).toMatch(/DB_PASSWORD is empty/);
  });

  it('reports an empty non-empty-string env var as invalid', async () => {
    const { problems } = await problemsOf({
      cwd: serviceDir(),
      env: { ...ok, NAME: '' },
    });
    expect(problems).toEqual([
      expect.objectContaining({
        key: 'name',
        message: 'must be a non-empty string',
      }),
    ]);
  });

  it('reports a NAME_FILE pointing at a missing file', async () => {
    const { problems } = await problemsOf({
      cwd: serviceDir(),
      env: { DB_PASSWORD_FILE: '/nonexistent/kenos/password' },
    });
    expect(problems).toEqual([
      expect.objectContaining({
        kind: 'file-not-found',
        key: 'db.password',
        env: 'DB_PASSWORD_FILE',
      }),
    ]);
    expect(problems[0]?.message).toContain('/nonexistent/kenos/password');
    expect(problems[0]?.message).toContain('ENOENT');
  });

  it('reports NAME and NAME_FILE set together', async () => {
    const cwd = serviceDir({ pw: 'from-file-123' });
    const { problems } = await problemsOf({
      cwd,
      env: { DB_PASSWORD: 'direct-123', DB_PASSWORD_FILE: 'pw' },
    });
    expect(problems).toEqual([
      expect.objectContaining({ kind: 'conflict', key: 'db.password' }),
    ]);
  });

  it('reports two config files for one source', async () => {
    const cwd = serviceDir({
      'config/default.json': '{}',
      'config/default.yaml': '{}',
    });
    const { problems } = await problemsOf({ cwd, env: ok });
    expect(problems).toEqual([expect.objectContaining({ kind: 'conflict' })]);
  });

  it('masks sensitive values in problems and the message', async () => {
    const { problems, error } = await problemsOf({
      cwd: serviceDir(),
      env: { ...ok, CALLBACK_URL: 'not a url but-secret' },
    });
    expect(problems).toEqual([
      expect.objectContaining({ key: 'callbackUrl', value: '[sensitive]' }),
    ]);
    expect(error.message).not.toContain('but-secret');
    expect(JSON.stringify(problems)).not.toContain('but-secret');
  });

  it.each([
    [
      'a JSON __proto__ key',
      { 'config/default.json': '{"__proto__": {"polluted": true}}' },
      [],
      '__proto__',
    ],
    [
      'a nested JSON __proto__ key',
      { 'config/default.json': '{"db": {"__proto__": {"polluted": true}}}' },
      [],
      'db.__proto__',
    ],
    [
      'a YAML constructor.prototype key',
      {
        'config/default.yaml':
          'constructor:\n  prototype:\n    polluted: true\n',
      },
      [],
      'constructor',
    ],
    [
      'a __proto__ inside an object value',
      {
        'config/default.json':
          '{"db": {"url": {"__proto__": {"polluted": true}}}}',
      },
      [],
      'db.url.__proto__',
    ],
    [
      'a __proto__ argument',
      {},
      ['--__proto__.polluted=true'],
      '__proto__.polluted',
    ],
    [
      'a constructor.prototype argument',
      {},
      ['--constructor.prototype.polluted=true'],
      'constructor.prototype.polluted',
    ],
  ])(
    'rejects %s (prototype pollution)',
    async (_name, files: Record<string, string>, argv: string[], key) => {
      const { problems } = await problemsOf({
        cwd: serviceDir(files),
        env: ok,
        argv,
      });
      expect(problems).toEqual([
        expect.objectContaining({ kind: 'forbidden-key', key }),
      ]);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      expect(
        (Object.prototype as Record<string, unknown>)['polluted'],
      ).toBeUndefined();
    },
  );

  it('refuses the local key provider in production', async () => {
    const { problems } = await problemsOf({
      cwd: serviceDir(),
      env: { ...ok, NODE_ENV: 'production' },
    });
    expect(problems).toEqual([
      expect.objectContaining({
        kind: 'policy',
        key: 'keys.provider',
        env: 'KENOS_KEY_PROVIDER',
        source: 'default',
      }),
    ]);
    const config = await loadConfig(schema, {
      cwd: serviceDir(),
      env: { ...ok, NODE_ENV: 'production', KENOS_KEY_PROVIDER: 'aws' },
      argv: [],
    });
    expect(config.keys.provider).toBe('aws');
  });

  it('rejects an environment name that is not a simple name', async () => {
    const { problems } = await problemsOf({
      cwd: serviceDir(),
      env: { ...ok, KENOS_ENV: '../etc' },
    });
    expect(problems).toEqual([
      expect.objectContaining({ key: 'env', kind: 'invalid-value' }),
    ]);
  });

  it('reports a config file that tries to set the environment name', async () => {
    const { problems } = await problemsOf({
      cwd: serviceDir({ 'config/default.yaml': 'env: production\n' }),
      env: ok,
    });
    expect(problems).toEqual([
      expect.objectContaining({
        kind: 'invalid-value',
        key: 'env',
        source: 'file:config/default.yaml',
      }),
    ]);
  });

  it('reports a bad enum value with the allowed values', async () => {
    const { problems } = await problemsOf({
      cwd: serviceDir(),
      env: { ...ok, LOG_LEVEL: 'verbose', LOG_FORMAT: 'xml' },
    });
    expect(problems.map((p) => [p.key, p.message])).toEqual([
      [
        'log.level',
        'must be one of "trace", "debug", "info", "warn", "error", "fatal", "silent"',
      ],
      ['log.format', 'must be one of "json", "pretty"'],
    ]);
  });

  it('reports an argument that needs a value but has none', async () => {
    const { problems } = await problemsOf({
      cwd: serviceDir(),
      env: ok,
      argv: ['--http.port'],
    });
    expect(problems).toEqual([
      expect.objectContaining({ key: 'http.port', source: 'arg:--http.port' }),
    ]);
  });
});
