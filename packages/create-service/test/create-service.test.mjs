import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnNode } from '@kenos/testing/process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/create-service.js', import.meta.url));

describe('npm init @kenos/service (the create-service bin)', () => {
  let work;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'kenos-create-service-'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it('creates a service in DIR as kenos new does, pinned at its own version', async () => {
    const own = JSON.parse(
      readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
    ).version;
    const proc = spawnNode(bin, ['svc', '--name', 'shop'], { cwd: work });
    const { code } = await proc.exited;
    expect(proc.stderr).toBe('');
    expect(code).toBe(0);
    expect(proc.stdout).toMatch(/^created service shop in /);
    const pkg = JSON.parse(
      readFileSync(join(work, 'svc/package.json'), 'utf8'),
    );
    expect(pkg.name).toBe('shop');
    expect(pkg.dependencies['@kenos/server']).toBe(own);
  });

  it('exits 2 with the usage and writes nothing without a directory', async () => {
    const proc = spawnNode(bin, [], { cwd: work });
    expect((await proc.exited).code).toBe(2);
    expect(proc.stderr).toMatch(/Usage: kenos new DIR/);
    expect(readdirSync(work)).toEqual([]);
  });
});
