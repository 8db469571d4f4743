import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  ConfigSchemaError,
  defineConfigSchema,
  formatConfigError,
  loadConfig,
  type ConfigSchema,
} from '../src/index.js';
import { serviceDir } from './helpers.js';

describe('defineConfigSchema', () => {
  it('returns the schema unchanged', () => {
    const schema = {
      db: { url: { format: 'url', default: 'http://x' } },
    } as const;
    expect(defineConfigSchema(schema)).toBe(schema);
  });

  it.each([
    [
      'an unknown format',
      { a: { format: 'colour', default: 'red' } },
      /unknown format 'colour'/,
    ],
    [
      'a __proto__ key',
      JSON.parse('{"__proto__": {"a": {"default": 1}}}'),
      /'__proto__' is a reserved key/,
    ],
    [
      'a constructor key',
      { constructor: { default: 1 } },
      /'constructor' is a reserved key/,
    ],
    [
      'a prototype key',
      { a: { prototype: { default: 1 } } },
      /'prototype' is a reserved key/,
    ],
    [
      'a top-level key named like a config method',
      { get: { default: 1 } },
      /'get' is a reserved key/,
    ],
    ['a key with a dot', { 'a.b': { default: 1 } }, /contain no '.'/],
    [
      'a leaf property convict does not know',
      { a: { default: 1, fromat: 'port' } },
      /unknown schema property 'fromat'/,
    ],
    [
      'an empty enum',
      { a: { format: [], default: 'x' } },
      /at least one value/,
    ],
    [
      'a change of a standard key format',
      { http: { port: { format: 'nat', default: 1 } } },
      /only its 'default' and 'doc', not format/,
    ],
    [
      'a standard group replaced by a value',
      { http: { default: 1 } },
      /'http' holds standard keys/,
    ],
    [
      'a standard value turned into a group',
      { env: { name: { default: 'x' } } },
      /'env' is a standard key/,
    ],
    [
      'an env var used twice',
      { a: { default: 1, env: 'HTTP_PORT' } },
      /reuses env var HTTP_PORT of 'http.port'/,
    ],
  ])('throws ConfigSchemaError for %s', (_name, schema, message) => {
    expect(() => defineConfigSchema(schema as ConfigSchema)).toThrowError(
      ConfigSchemaError,
    );
    expect(() => defineConfigSchema(schema as ConfigSchema)).toThrowError(
      message,
    );
  });

  it('lets a service change the default of a standard key, whose format still applies', async () => {
    const schema = defineConfigSchema({
      http: { port: { default: 3000, doc: 'orders API' } },
    });
    const config = await loadConfig(schema, {
      cwd: serviceDir(),
      env: {},
      argv: [],
    });
    expect(config.http.port).toBe(3000);
    expect(config.grpc.port).toBe(50051);
    await expect(
      loadConfig(schema, {
        cwd: serviceDir(),
        env: { HTTP_PORT: '70000' },
        argv: [],
      }),
    ).rejects.toThrowError(/http.port .*must be a port within 0 - 65535/);
  });

  it('has the code KENOS_ERR_CONFIG_SCHEMA', () => {
    try {
      defineConfigSchema({
        a: { format: 'colour', default: 1 },
      } as unknown as ConfigSchema);
      expect.unreachable();
    } catch (err) {
      expect((err as ConfigSchemaError).code).toBe('KENOS_ERR_CONFIG_SCHEMA');
    }
  });

  it('is a ConfigError of the package, yet not rendered as invalid configuration (exit 78)', () => {
    const err = new ConfigSchemaError("'a': unknown format 'colour'");
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toMatchObject({
      name: 'ConfigSchemaError',
      code: 'KENOS_ERR_CONFIG_SCHEMA',
      problems: [],
    });
    expect(err.message).not.toContain('KENOS_ERR');
    expect(formatConfigError(err)).toBe(
      "ConfigSchemaError: 'a': unknown format 'colour'",
    );
  });
});
