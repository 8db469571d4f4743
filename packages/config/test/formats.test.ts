import { describe, expect, it } from 'vitest';
import type { ConfigError } from '../src/index.js';
import {
  defineConfigSchema,
  kenosFormats,
  loadConfig,
  parseDuration,
} from '../src/index.js';
import { serviceDir } from './helpers.js';

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['2d', 172_800_000],
    ['250ms', 250],
    ['1.5s', 1500],
    ['250', 250],
    [' 10s ', 10_000],
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '5x', 's', '5 m', '-5s', '5s junk'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('formats', () => {
  const schema = defineConfigSchema({
    port: { format: 'port', default: 1, env: 'F_PORT' },
    timeout: { format: 'duration', default: 1, env: 'F_TIMEOUT' },
    link: { format: 'url', default: 'http://a', env: 'F_LINK' },
    mode: { format: ['a', 'b'], default: 'a', env: 'F_MODE' },
    level: { format: [1, 2, 3], default: 1, env: 'F_LEVEL' },
    label: { format: 'non-empty-string', default: 'x', env: 'F_LABEL' },
    token: { format: 'secret', default: 'dev-token-000', env: 'F_TOKEN' },
    on: { format: 'boolean', default: false, env: 'F_ON' },
    ratio: { format: Number, default: 0.5, env: 'F_RATIO' },
    extra: { format: 'object', default: {}, env: 'F_EXTRA' },
  });
  const load = (env: Record<string, string>) =>
    loadConfig(schema, { cwd: serviceDir(), env, argv: [] });

  it('coerces valid env text to each format', async () => {
    const c = await load({
      F_PORT: '65535',
      F_TIMEOUT: '5m',
      F_LINK: 'https://example.com/x',
      F_MODE: 'b',
      F_LEVEL: '3',
      F_LABEL: 'y',
      F_TOKEN: 'prod-token-123',
      F_ON: '1',
      F_RATIO: '0.25',
      F_EXTRA: '{"k":1}',
    });
    expect([
      c.port,
      c.timeout,
      c.link,
      c.mode,
      c.level,
      c.label,
      c.token,
      c.on,
      c.ratio,
      c.extra,
    ]).toEqual([
      65535,
      300_000,
      'https://example.com/x',
      'b',
      3,
      'y',
      'prod-token-123',
      true,
      0.25,
      { k: 1 },
    ]);
  });

  it('reports every invalid value with what each format expects', async () => {
    const err = await load({
      F_PORT: '1.5',
      F_TIMEOUT: 'soon',
      F_LINK: 'example.com',
      F_MODE: 'c',
      F_LEVEL: '4',
      F_LABEL: '  ',
      F_TOKEN: '',
      F_ON: 'yes',
      F_RATIO: 'half',
      F_EXTRA: '{bad',
    }).then(
      () => expect.unreachable(),
      (e: unknown) => e as ConfigError,
    );
    expect(err.problems.map((p) => p.key)).toEqual([
      'port',
      'timeout',
      'link',
      'mode',
      'level',
      'label',
      'token',
      'on',
      'ratio',
      'extra',
    ]);
    expect(err.problems.find((p) => p.key === 'timeout')?.expected).toBe(
      kenosFormats['duration']?.description,
    );
  });

  it('reads a duration from a file as text or milliseconds', async () => {
    const dir = serviceDir({
      'config/default.yaml': 'timeout: 2h\nport: 8080\n',
    });
    const c = await loadConfig(schema, { cwd: dir, env: {}, argv: [] });
    expect(c.timeout).toBe(7_200_000);
  });

  it('does not accept a number as text in a file where a number belongs', async () => {
    const dir = serviceDir({ 'config/default.json': '{"port": "8080"}' });
    await expect(
      loadConfig(schema, { cwd: dir, env: {}, argv: [] }),
    ).rejects.toThrowError(
      /port \(env F_PORT\) from file:config\/default.json: must be a port/,
    );
  });

  it('coerces env text for a custom validator by the type of its default', async () => {
    const custom = defineConfigSchema({
      maxLength: {
        default: 64,
        env: 'MAX_LENGTH',
        format: (value: unknown): asserts value is number => {
          if (!Number.isInteger(value) || (value as number) < 1)
            throw new Error('must be a positive integer');
        },
      },
    });
    const ok = await loadConfig(custom, {
      cwd: serviceDir(),
      env: { MAX_LENGTH: '128' },
      argv: [],
    });
    expect(ok.maxLength).toBe(128);
    await expect(
      loadConfig(custom, {
        cwd: serviceDir(),
        env: { MAX_LENGTH: '0' },
        argv: [],
      }),
    ).rejects.toThrowError(
      /maxLength \(env MAX_LENGTH\) from env:MAX_LENGTH: must be a positive integer; got "0"/,
    );
  });
});
