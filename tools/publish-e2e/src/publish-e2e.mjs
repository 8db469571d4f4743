#!/usr/bin/env node
// `npm run e2e:publish`: the proof that Kenos works as published. Every publishable package is
// packed, published at a prerelease version to a throwaway npm registry on 127.0.0.1 (verdaccio:
// `@kenos/*` only what was published there, everything else proxied to the public registry), and
// then, in a temporary directory outside the repository, as a developer would: `npx @kenos/cli new`,
// `npm install`, `npm test`, `npm run build`, and the api from the production entry point until
// /ready is 200, stopped with SIGTERM. Every step is bounded; the registry, the service and every
// file are removed at the end, on failure and on Ctrl-C too. Nothing in the repository changes.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanEnv, runCommand, tail } from '@kenos/service-e2e/commands';
import { packPackages } from '@kenos/service-e2e/pack-packages';
import { startService, stopAllServices } from '@kenos/testing';
import { signalChildren } from './child-processes.mjs';
import { prereleaseVersion, unpackAtVersion } from './prerelease.mjs';
import { PUBLIC_REGISTRY, startRegistryWithUser } from './registry.mjs';
import { runSteps, summaryLine } from './run-steps.mjs';

const MINUTE = 60_000;
const root = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const NAME = 'order-api'; // two words, as in the tarball proof
const version = prereleaseVersion();
const work = mkdtempSync(join(tmpdir(), 'kenos-publish-e2e-'));
const services = join(work, 'services');
const svc = join(services, NAME);
let registry;
let env;
let tarballs = [];
let api;

/**
 * The environment of a developer outside the repository: the machine's (cleanEnv), with this
 * Node.js first on PATH but none of the repository's node_modules/.bin, and npm pointed at the
 * registry through a temporary user config and cache.
 */
function outsideEnv(registryUrl) {
  const bin = join(work, 'bin');
  mkdirSync(bin, { recursive: true });
  symlinkSync(process.execPath, join(bin, 'node'));
  const base = cleanEnv();
  const path = (base.PATH ?? '')
    .split(delimiter)
    .filter(
      (dir) =>
        dir !== '' && !`${resolve(dir)}${sep}`.startsWith(`${root}${sep}`),
    );
  return {
    ...base,
    PATH: [bin, ...path].join(delimiter),
    npm_config_userconfig: join(work, 'npmrc'),
    npm_config_registry: registryUrl,
    npm_config_cache: join(work, 'npm-cache'),
  };
}

/** Runs a command with the outside environment; rejects with the tail of its output unless it exits 0. */
async function run(command, args, cwd, timeoutMs) {
  const result = await runCommand(command, args, { cwd, env, timeoutMs });
  if (result.code !== 0)
    throw new Error(
      `${command} ${args.join(' ')} exited with ${result.code ?? result.signal}:\n${tail(result.output, 40)}`,
    );
  return result.output;
}

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** The `@kenos/*` dependencies of a package.json not pinned to the prerelease version. */
function unpinned(manifest) {
  const wrong = [];
  for (const field of ['dependencies', 'devDependencies'])
    for (const [name, range] of Object.entries(manifest[field] ?? {}))
      if (name.startsWith('@kenos/') && range !== version)
        wrong.push(`${field}.${name}: ${range}`);
  if (manifest.kenos?.template !== version)
    wrong.push(`kenos.template: ${manifest.kenos?.template}`);
  return wrong;
}

function checkGenerated(dir) {
  const manifest = readJson(join(dir, 'package.json'));
  const wrong = unpinned(manifest);
  if (wrong.length > 0)
    throw new Error(
      `${dir}/package.json does not pin ${version}: ${wrong.join(', ')}`,
    );
  const pins = [
    ...Object.keys(manifest.dependencies),
    ...Object.keys(manifest.devDependencies),
  ].filter((name) => name.startsWith('@kenos/'));
  return `${dir}: ${pins.join(', ')} and kenos.template pinned at ${version}`;
}

async function publishAll() {
  for (const tarball of tarballs) {
    const dir = unpackAtVersion(
      tarball.file,
      version,
      join(work, 'publish', tarball.name.replace('/', '+')),
    );
    // --provenance=false: a local registry takes no provenance statement, whatever publishConfig says
    await run(
      'npm',
      [
        'publish',
        dir,
        '--tag=e2e',
        '--ignore-scripts',
        '--provenance=false',
        `--registry=${registry.url}`,
      ],
      work,
      2 * MINUTE,
    );
  }
  for (const { name } of tarballs) {
    const response = await fetch(
      new URL(encodeURIComponent(name), registry.url),
    );
    const published = response.ok
      ? (await response.json()).versions?.[version]
      : undefined;
    if (!published)
      throw new Error(
        `${name}@${version} is not in the registry (${response.status})`,
      );
    const wrong = Object.entries(published.dependencies ?? {}).filter(
      ([dep, range]) => dep.startsWith('@kenos/') && range !== version,
    );
    if (wrong.length > 0)
      throw new Error(
        `${name}@${version} was published with ${wrong.map(([d, r]) => `${d}@${r}`).join(', ')}`,
      );
  }
  return `${tarballs.length} packages in the registry at ${version}, their @kenos/* dependencies pinned to it`;
}

/** Every package of the lock file came from the registry; every @kenos/* one at the prerelease version. */
function checkLock() {
  const lock = readJson(join(svc, 'package-lock.json'));
  const installed = Object.entries(lock.packages).filter(
    ([path, entry]) => path !== '' && !entry.link,
  );
  const kenos = installed.filter(([path]) =>
    /(^|\/)node_modules\/@kenos\/[^/]+$/.test(path),
  );
  const wrong = [
    ...installed
      .filter(([, entry]) => !(entry.resolved ?? '').startsWith(registry.url))
      .map(([path, entry]) => `${path} from ${entry.resolved}`),
    ...kenos
      .filter(([, entry]) => entry.version !== version)
      .map(([path, entry]) => `${path} at ${entry.version}`),
  ];
  if (kenos.length === 0 || wrong.length > 0)
    throw new Error(
      `the install did not come from the registry alone: ${wrong.slice(0, 20).join(', ') || 'no @kenos package'}`,
    );
  const names = kenos.map(([path]) => path.replace(/^.*node_modules\//, ''));
  return `${installed.length} packages, all from ${registry.url}; ${[...new Set(names)].sort().join(', ')} at ${version}`;
}

const steps = [
  {
    title: 'start a throwaway npm registry (verdaccio) on 127.0.0.1',
    timeoutMs: MINUTE,
    run: async () => {
      registry = await startRegistryWithUser(work);
      env = outsideEnv(registry.url);
      return `${registry.url} (pid ${registry.pid}): @kenos/* only what is published there, the rest from ${PUBLIC_REGISTRY}`;
    },
  },
  {
    title: 'pack every publishable package (npm pack)',
    timeoutMs: 3 * MINUTE,
    run: () => {
      tarballs = packPackages(root, join(work, 'tarballs'));
      return tarballs.map((t) => t.name).join(', ');
    },
  },
  {
    title: `publish them at ${version} (npm publish, the repository untouched)`,
    timeoutMs: 10 * MINUTE,
    run: publishAll,
  },
  {
    title: `npx @kenos/cli@${version} new ${NAME}, outside the repository`,
    timeoutMs: 5 * MINUTE,
    run: async () => {
      mkdirSync(services, { recursive: true });
      await run(
        'npx',
        ['--yes', `@kenos/cli@${version}`, 'new', svc],
        services,
        5 * MINUTE,
      );
      return checkGenerated(svc);
    },
  },
  {
    title: `npm init @kenos/service@${version} billing-api`,
    timeoutMs: 5 * MINUTE,
    run: async () => {
      const dir = join(services, 'billing-api');
      await run(
        'npm',
        ['init', '--yes', `@kenos/service@${version}`, dir],
        services,
        5 * MINUTE,
      );
      return checkGenerated(dir);
    },
  },
  {
    title: `npm install in ${NAME}, from the registry`,
    timeoutMs: 10 * MINUTE,
    run: async () => {
      await run('npm', ['install'], svc, 10 * MINUTE);
      return checkLock();
    },
  },
  {
    title: `npm test in ${NAME}`,
    timeoutMs: 10 * MINUTE,
    run: async () => {
      const output = await run('npm', ['test'], svc, 10 * MINUTE);
      const summary = /Tests\s+(\d+) passed(?: \((\d+)\))?/.exec(output);
      if (!summary || /\d+ (failed|skipped)/.test(output))
        throw new Error(`npm test did not pass every test:\n${tail(output)}`);
      return `vitest: ${summary[1]} tests passed`;
    },
  },
  {
    title: `npm run build in ${NAME}`,
    timeoutMs: 5 * MINUTE,
    run: async () => {
      rmSync(join(svc, 'dist'), { recursive: true, force: true });
      await run('npm', ['run', 'build'], svc, 5 * MINUTE);
      if (!existsSync(join(svc, 'dist/main.bundle.mjs')))
        throw new Error('npm run build wrote no dist/main.bundle.mjs');
      return 'dist/main.bundle.mjs';
    },
  },
  {
    title: 'node dist/main.bundle.mjs api: GET /ready is 200',
    timeoutMs: MINUTE,
    run: async () => {
      api = await startService(join(svc, 'dist/main.bundle.mjs'), 'api', {
        cwd: svc,
        env: cleanEnv(),
        readyTimeoutMs: 30_000,
      });
      const ready = await fetch(api.adminUrl('/ready'));
      if (ready.status !== 200)
        throw new Error(`GET /ready answered ${ready.status}`);
      return `ports ${JSON.stringify(api.ports)}`;
    },
  },
  {
    title: 'SIGTERM: the api exits with code 0',
    timeoutMs: 30_000,
    run: async () => {
      api.kill('SIGTERM');
      const { code, signal } = await api.exited;
      if (code !== 0)
        throw new Error(
          `the api exited with ${code ?? signal}:\n${tail(api.stderr)}`,
        );
    },
  },
];

let cleaning;
/** Stops the service and the registry (by PID) and removes every file of the run; once. */
function cleanup() {
  cleaning ??= (async () => {
    await stopAllServices().catch(() => undefined);
    if (registry) await registry.stop().catch(() => undefined);
    rmSync(work, { recursive: true, force: true, maxRetries: 3 });
    console.log(
      `cleaned up: ${registry ? `registry (pid ${registry.pid}) stopped, ` : ''}${work} removed`,
    );
  })();
  return cleaning;
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'])
  process.once(signal, () => {
    interrupted = true;
    console.log(`\n${signal}: stopping every process this run started`);
    signalChildren('SIGKILL');
    void cleanup().finally(() => {
      console.log('FAIL: interrupted');
      process.exit(130);
    });
  });

console.log(
  `e2e:publish: ${version} through a local registry, in ${work} (outside ${root})`,
);
let result = { passed: 0, failed: 1, skipped: 0, ok: false };
try {
  result = await runSteps(steps);
  if (!result.ok && registry && !interrupted)
    console.log(
      `registry output (last lines):\n${tail(registry.output(), 20)}`,
    );
} catch (err) {
  console.log(`the run itself failed: ${err?.stack ?? err}`);
} finally {
  await cleanup();
}
console.log(summaryLine(result));
process.exit(result.ok ? 0 : 1);
