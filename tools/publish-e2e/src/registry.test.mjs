import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, runCommand } from '@kenos/service-e2e/commands';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  registryConfig,
  startRegistry,
  userConfig,
} from './registry.mjs';

const work = mkdtempSync(join(tmpdir(), 'kenos-registry-test-'));
const asked = []; // what the registry asked its uplink for
const uplink = createServer((req, res) => {
  asked.push(decodeURIComponent(req.url ?? ''));
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end('{"error":"not found"}');
});
let registry;
let token;

beforeAll(async () => {
  await new Promise((resolve) => uplink.listen(0, '127.0.0.1', resolve));
  registry = await startRegistry({
    dir: join(work, 'registry'),
    uplink: `http://127.0.0.1:${uplink.address().port}/`,
  });
  token = await addUser(registry.url, 'tester', 'a-long-test-password');
});

afterAll(async () => {
  await registry?.stop();
  uplink.close();
  rmSync(work, { recursive: true, force: true });
});

/** A package `name@version` with one file, in a new directory of `work`. */
function fixturePackage(name, version) {
  const dir = mkdtempSync(join(work, 'fixture-'));
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name, version, main: 'index.js' }),
  );
  writeFileSync(join(dir, 'index.js'), 'module.exports = 42;\n');
  return dir;
}

describe('a throwaway registry', () => {
  it('listens on 127.0.0.1 and keeps its config, storage and users in its own directory', async () => {
    expect(registry.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect((await fetch(new URL('-/ping', registry.url))).status).toBe(200);
    expect(existsSync(join(work, 'registry/config.yaml'))).toBe(true);
    expect(existsSync(join(work, 'registry/htpasswd'))).toBe(true);
  });

  it('takes a @kenos package from npm publish with the token of a user it created, and serves it to npm', async () => {
    const userconfig = join(work, 'npmrc');
    writeFileSync(userconfig, userConfig(registry.url, token));
    const env = cleanEnv({
      npm_config_userconfig: userconfig,
      npm_config_cache: join(work, 'npm-cache'),
    });
    const dir = fixturePackage('@kenos/fixture', '0.0.0-e2e.1');
    const publish = await runCommand(
      'npm',
      ['publish', dir, '--tag=e2e', `--registry=${registry.url}`],
      { cwd: work, env, timeoutMs: 60_000 },
    );
    expect(publish.code, publish.output).toBe(0);
    const view = await runCommand(
      'npm',
      ['view', '@kenos/fixture@0.0.0-e2e.1', 'version'],
      { cwd: work, env, timeoutMs: 60_000 },
    );
    expect(view.output.trim()).toBe('0.0.0-e2e.1');
    expect(existsSync(join(work, 'registry/storage/@kenos/fixture'))).toBe(
      true,
    );
  });

  it('refuses a publish without a token, and a package outside @kenos with one', async () => {
    const put = (name, headers = {}) =>
      fetch(new URL(encodeURIComponent(name), registry.url), {
        method: 'PUT',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ name, versions: {} }),
      });
    expect([401, 403]).toContain((await put('@kenos/anonymous')).status);
    const outside = await put('left-pad', { authorization: `Bearer ${token}` });
    expect(outside.status).toBe(403);
  });

  it('asks its uplink for every package but @kenos/*, which is only what was published to it', async () => {
    const get = (name) =>
      fetch(new URL(encodeURIComponent(name), registry.url));
    expect((await get('@kenos/never-published')).status).toBe(404);
    expect((await get('left-pad')).status).toBe(404);
    expect(asked).toContain('/left-pad');
    expect(asked.filter((url) => url.includes('@kenos'))).toEqual([]);
    expect(registryConfig({ dir: work }).uplinks.npmjs.url).toBe(
      'https://registry.npmjs.org/',
    );
  });

  it('stops: its process exits and its port answers no more', async () => {
    const other = await startRegistry({
      dir: join(work, 'other'),
      uplink: `http://127.0.0.1:${uplink.address().port}/`,
    });
    const exit = await other.stop();
    expect(exit.code !== 0 || exit.signal !== null).toBe(true);
    expect(() => process.kill(other.pid, 0)).toThrow();
    await expect(fetch(new URL('-/ping', other.url))).rejects.toThrow();
  });
});
