import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKenos } from './kenos-process.js';

const SCHEMA = fileURLToPath(
  new URL('./fixtures/config-schema.mjs', import.meta.url),
);

describe('kenos config', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kenos-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints every key with its value, source and env var, masking sensitive values', async () => {
    const r = await runKenos(
      ['config', 'print', '--schema', SCHEMA, '--cwd', dir, '--json'],
      {
        env: { GREETING: 'bonjour', API_KEY: 'partner-key-0123456789' },
      },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('partner-key-0123456789');
    const rows = JSON.parse(r.stdout) as {
      key: string;
      value: unknown;
      source: string;
      env: string;
    }[];
    expect(rows.find((row) => row.key === 'greeting')).toMatchObject({
      value: 'bonjour',
      env: 'GREETING',
    });
    expect(rows.find((row) => row.key === 'greeting')?.source).toMatch(/env/i);
    expect(rows.find((row) => row.key === 'apiKey')).toMatchObject({
      value: '[sensitive]',
    });
    expect(rows.find((row) => row.key === 'http.port')).toMatchObject({
      value: 8080,
      source: 'default',
    });
    const t = await runKenos([
      'config',
      'print',
      '--schema',
      SCHEMA,
      '--cwd',
      dir,
    ]);
    expect(t.stdout.split('\n')[0]).toMatch(/^KEY\s+VALUE\s+SOURCE\s+ENV$/);
    expect(t.stdout).toMatch(/greeting\s+"hello"\s+default\s+GREETING/);
  });

  it('validates: exit 0 when valid, exit 78 listing every problem when not', async () => {
    const ok = await runKenos([
      'config',
      'validate',
      '--schema',
      SCHEMA,
      '--cwd',
      dir,
    ]);
    expect(ok.code).toBe(0);
    const bad = await runKenos(
      ['config', 'validate', '--schema', SCHEMA, '--cwd', dir],
      { env: { HTTP_PORT: '70000', GREETING: '' } },
    );
    expect(bad.code).toBe(78);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('http.port');
    expect(bad.stderr).toContain('greeting');
  });

  it('writes the Markdown reference of every key', async () => {
    const r = await runKenos(['config', 'docs', '--schema', SCHEMA]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\|/);
    expect(r.stdout).toContain('GREETING');
    expect(r.stdout).toContain('The greeting word');
    expect(r.stdout).toContain('HTTP_PORT');
  });

  it('prints --json values as JSON values, not as JSON-encoded strings', async () => {
    const r = await runKenos(
      ['config', 'print', '--schema', SCHEMA, '--cwd', dir, '--json'],
      { env: { API_KEY: 'partner-key-0123456789' } },
    );
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { key: string; value: unknown }[];
    const value = (key: string) => rows.find((row) => row.key === key)?.value;
    expect(value('greeting')).toBe('hello');
    expect(value('http.port')).toBe(8080);
    expect(value('apiKey')).toBe('[sensitive]');
  });

  it('reads the service definition of dist/service.js by default and names the config after it', async () => {
    const service = join(dir, 'orders');
    mkdirSync(join(service, 'dist'), { recursive: true });
    mkdirSync(join(service, 'config'));
    writeFileSync(join(service, 'package.json'), '{"type":"module"}\n');
    writeFileSync(
      join(service, 'dist/service.js'),
      `export const orders = {
  name: 'orders',
  version: '1.2.3',
  config: { orders: { limit: { doc: 'Most orders', format: 'nat', default: 5, env: 'ORDERS_LIMIT' } } },
  rest: () => {},
};\n`,
    );
    writeFileSync(
      join(service, 'config/default.yaml'),
      'orders:\n  limit: 7\n',
    );
    const r = await runKenos(['config', 'print', '--json'], { cwd: service });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { key: string; value: unknown }[];
    const value = (key: string) => rows.find((row) => row.key === key)?.value;
    expect(value('service.name')).toBe('orders');
    expect(value('service.version')).toBe('1.2.3');
    expect(value('orders.limit')).toBe(7);
    const valid = await runKenos(['config', 'validate'], { cwd: service });
    expect(valid.code).toBe(0);
  });

  it('fails in one line when the schema module cannot be imported, and exits 2 for an unknown action', async () => {
    const missing = await runKenos(['config', 'print', '--cwd', dir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('dist/config.js');
    const unknown = await runKenos(['config', 'explode', '--schema', SCHEMA]);
    expect(unknown.code).toBe(2);
  });
});
