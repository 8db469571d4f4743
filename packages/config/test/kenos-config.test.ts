import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  ConfigKeyError,
  defineConfigSchema,
  loadConfig,
  type ConfigPath,
} from '../src/index.js';
import { serviceDir } from './helpers.js';

const schema = defineConfigSchema({
  db: {
    url: { format: 'url', default: 'postgres://localhost/app' },
    password: { format: 'secret', default: undefined, env: 'DB_PASSWORD' },
    options: { format: Object, default: { ssl: false } },
  },
  apiToken: {
    format: 'string',
    default: 'default-token-value',
    sensitive: true,
    env: 'API_TOKEN',
  },
  hosts: { format: Array, default: ['a', 'b'], env: 'HOSTS' },
});

const SECRET = 'hunter2-very-secret';
const load = () =>
  loadConfig(schema, {
    cwd: serviceDir(),
    env: { DB_PASSWORD: SECRET, API_TOKEN: 'tok-abcdef-123', HOSTS: 'x, y' },
    argv: [],
  });

describe('the loaded config object', () => {
  it('holds typed values and exposes get(path) for leaves and groups', async () => {
    const config = await load();
    expect(config.db.password).toBe(SECRET);
    expect(config.get('db.password')).toBe(SECRET);
    expect(config.get('db').url).toBe('postgres://localhost/app');
    expect(config.get('hosts')).toEqual(['x', 'y']);
    expect(config.get('http.port')).toBe(8080);
  });

  it('throws ConfigKeyError for an unknown path in get and sourceOf', async () => {
    const config = await load();
    expect(() =>
      config.get('db.user' as ConfigPath<typeof schema>),
    ).toThrowError(ConfigKeyError);
    expect(() => config.sourceOf('nope' as 'db.url')).toThrowError(
      /Unknown config key 'nope'/,
    );
  });

  it('is deeply frozen', async () => {
    const config = await load();
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.db)).toBe(true);
    expect(Object.isFrozen(config.db.options)).toBe(true);
    expect(Object.isFrozen(config.hosts)).toBe(true);
    expect(() => {
      (config.http as { port: number }).port = 1;
    }).toThrowError(TypeError);
    expect(() => {
      (config.hosts as string[]).push('z');
    }).toThrowError(TypeError);
  });

  it('masks sensitive values in JSON.stringify, toString and util.inspect, at every level', async () => {
    const config = await load();
    const dumps = [
      JSON.stringify(config),
      String(config),
      config.toString(),
      inspect(config, { depth: 10 }),
      JSON.stringify(config.db),
      String(config.db),
      inspect(config.db),
      JSON.stringify({ wrapped: config }),
      inspect({ wrapped: config }, { depth: 10 }),
    ];
    for (const dump of dumps) {
      expect(dump).not.toContain(SECRET);
      expect(dump).not.toContain('tok-abcdef-123');
      expect(dump).toContain('[sensitive]');
    }
    expect(JSON.parse(JSON.stringify(config))).toMatchObject({
      db: { password: '[sensitive]', url: 'postgres://localhost/app' },
      apiToken: '[sensitive]',
      http: { port: 8080 },
    });
  });

  it('keeps its methods out of Object.keys and dumps', async () => {
    const config = await load();
    expect(Object.keys(config)).not.toContain('get');
    expect(Object.keys(config)).toContain('http');
    expect(JSON.stringify(config)).not.toContain('sourceOf');
  });

  it('tells the source of every value', async () => {
    const config = await load();
    expect(config.sourceOf('db.password')).toBe('env:DB_PASSWORD');
    expect(config.sourceOf('db.url')).toBe('default');
    expect(config.sourceOf('hosts')).toBe('env:HOSTS');
  });
});
