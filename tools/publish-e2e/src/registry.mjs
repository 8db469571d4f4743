// A throwaway npm registry (verdaccio) for the publish proof: bound to 127.0.0.1 on a free port,
// its config, storage and users in one directory; `@kenos/*` is only what was published there,
// every other package is proxied to the public npm registry.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { cleanEnv } from '@kenos/service-e2e/commands';
import { freePort, spawnNode } from '@kenos/testing/process';

/** Where every package that is not `@kenos/*` comes from. */
export const PUBLIC_REGISTRY = 'https://registry.npmjs.org/';

const require = createRequire(import.meta.url);
const verdaccioBin = () => {
  const manifestFile = require.resolve('verdaccio/package.json');
  const { bin } = JSON.parse(readFileSync(manifestFile, 'utf8'));
  return join(
    dirname(manifestFile),
    typeof bin === 'string' ? bin : bin.verdaccio,
  );
};

/**
 * The verdaccio configuration (written as JSON, which is YAML): `@kenos/*` may be read by anyone,
 * published by a user of this registry, and has no uplink; every other package is read through
 * the uplink and may not be published.
 */
export function registryConfig({ dir, uplink = PUBLIC_REGISTRY }) {
  return {
    storage: join(dir, 'storage'),
    auth: { htpasswd: { file: join(dir, 'htpasswd') } },
    uplinks: { npmjs: { url: uplink, timeout: '60s', max_fails: 10 } },
    packages: {
      '@kenos/*': {
        access: '$all',
        publish: '$authenticated',
        unpublish: '$authenticated',
      },
      '**': { access: '$all', proxy: 'npmjs' },
    },
    // JWT tokens: verified by their signature, where a legacy token costs a bcrypt check on every request
    security: { api: { jwt: { sign: { expiresIn: '2h' } } } },
    web: { enable: false },
    max_body_size: '100mb',
    log: { type: 'stdout', format: 'json', level: 'warn' },
  };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function answersPing(url) {
  try {
    const response = await fetch(new URL('-/ping', url));
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/** Starts verdaccio on `port` and resolves once `/-/ping` answers; null when it exited first. */
async function startOn(configFile, dir, port, deadline) {
  const proc = spawnNode(
    verdaccioBin(),
    ['--config', configFile, '--listen', `127.0.0.1:${port}`],
    { cwd: dir, env: cleanEnv(), inheritEnv: false },
  );
  const url = `http://127.0.0.1:${port}/`;
  while (Date.now() < deadline) {
    if (proc.exitInfo) return { proc, url: null };
    if (await answersPing(url)) return { proc, url };
    await sleep(100);
  }
  await proc.stop('SIGKILL');
  throw new Error(
    `verdaccio did not answer ${url}-/ping in time and was killed:\n${proc.stdout}${proc.stderr}`,
  );
}

/**
 * Starts a throwaway verdaccio with its config, storage and users in `dir` (created), on
 * 127.0.0.1 and a free port (another one is tried when that one was taken meanwhile), and
 * resolves once it answers. `stop()` ends it (SIGTERM, SIGKILL after 5 s) and resolves with the
 * exit; `output()` is what it logged.
 */
export async function startRegistry({
  dir,
  uplink = PUBLIC_REGISTRY,
  timeoutMs = 30_000,
}) {
  mkdirSync(dir, { recursive: true });
  const configFile = join(dir, 'config.yaml');
  writeFileSync(
    configFile,
    `${JSON.stringify(registryConfig({ dir, uplink }), null, 2)}\n`,
  );
  const deadline = Date.now() + timeoutMs;
  let failures = '';
  for (let attempt = 1; attempt <= 3; attempt++) {
    const { proc, url } = await startOn(
      configFile,
      dir,
      await freePort(),
      deadline,
    );
    if (url === null) {
      failures += `${proc.stdout}${proc.stderr}\n`;
      continue;
    }
    return {
      url,
      pid: proc.child.pid,
      output: () => `${proc.stdout}${proc.stderr}`,
      stop: () => proc.stop('SIGTERM', 5_000),
    };
  }
  throw new Error(`verdaccio exited before it answered, 3 times:\n${failures}`);
}

/**
 * Creates a user on the registry (as `npm adduser` does) and resolves with its token.
 */
export async function addUser(url, name, password) {
  const response = await fetch(
    new URL(`-/user/org.couchdb.user:${encodeURIComponent(name)}`, url),
    {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, password, type: 'user', roles: [] }),
    },
  );
  const body = await response.json().catch(() => ({}));
  if (!response.ok || typeof body.token !== 'string')
    throw new Error(
      `the registry did not create user ${name}: ${response.status} ${JSON.stringify(body)}`,
    );
  return body.token;
}

/**
 * An npm user config (`.npmrc`) for the registry at `url`: it is the default registry, and the
 * token authenticates every request to it.
 */
export function userConfig(url, token) {
  const { host, pathname } = new URL(url);
  return [
    `registry=${url}`,
    `//${host}${pathname}:_authToken=${token}`,
    'audit=false',
    'fund=false',
    'update-notifier=false',
    '',
  ].join('\n');
}

/**
 * Starts the registry in `<work>/registry`, registers a user with a random password and writes
 * its user config to `<work>/npmrc` (mode 0600); resolves with the running registry. What the
 * publish and Renovate proofs both begin with.
 */
export async function startRegistryWithUser(work) {
  const registry = await startRegistry({ dir: join(work, 'registry') });
  const token = await addUser(
    registry.url,
    'kenos-e2e',
    randomBytes(16).toString('hex'),
  );
  writeFileSync(join(work, 'npmrc'), userConfig(registry.url, token), {
    mode: 0o600,
  });
  return registry;
}
