#!/usr/bin/env node
// `npm run e2e:renovate`: the proof that the fleet preset (@kenos/renovate-config) makes Renovate
// upgrade a service's @kenos/* packages in one pull request. Every package is published at two
// prerelease versions to a throwaway npm registry on 127.0.0.1 (the verdaccio of e2e:publish), a
// service is created with `npx @kenos/cli@<older> new`, and Renovate runs on it in local-platform
// dry-run (lookup) mode with that registry; its JSON log must show exactly one branch, holding
// every @kenos/* dependency of the service at the newer version, titled as the preset says.
// Every step is bounded; the registry, the preset server and every file go at the end, always.
import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signalChildren } from '@kenos/publish-e2e/child-processes';
import { unpackAtVersion } from '@kenos/publish-e2e/prerelease';
import { startRegistryWithUser } from '@kenos/publish-e2e/registry';
import { runSteps, summaryLine } from '@kenos/publish-e2e/run-steps';
import { cleanEnv, runCommand, tail } from '@kenos/service-e2e/commands';
import { packPackages } from '@kenos/service-e2e/pack-packages';
import { branchesFromLog, parseLog, prTitlesFromLog } from './renovate-log.mjs';

const MINUTE = 60_000;
const root = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const presetFile = join(root, 'packages/renovate-config/default.json');
/** Installs Renovate into the user's cache, as the preset's tests do; prints its paths. */
const installScript = join(
  root,
  'packages/renovate-config/test/renovate-install.mjs',
);
/** The preset as the generated service extends it (see packages/renovate-config/README.md). */
const REPOSITORY_PRESET =
  'github>kenos-platform/kenos//packages/renovate-config/default.json';
const stamp = `0.0.0-e2e.${Date.now()}`;
const older = `${stamp}.1`;
const newer = `${stamp}.2`;
const work = mkdtempSync(join(tmpdir(), 'kenos-renovate-e2e-'));
const svc = join(work, 'services', 'order-api');
let registry;
let presetServer;
let env;
let tarballs = [];
let renovate;
let log = '';

async function run(command, args, cwd, timeoutMs, extraEnv = {}) {
  const result = await runCommand(command, args, {
    cwd,
    env: { ...env, ...extraEnv },
    timeoutMs,
  });
  if (result.code !== 0)
    throw new Error(
      `${command} ${args.join(' ')} exited with ${result.code ?? result.signal}:\n${tail(result.output, 40)}`,
    );
  return result.output;
}

async function publishAt(version) {
  for (const tarball of tarballs) {
    const dir = unpackAtVersion(
      tarball.file,
      version,
      join(work, 'publish', version, tarball.name.replace('/', '+')),
    );
    // --tag=latest: Renovate proposes nothing above the registry's latest tag
    await run(
      'npm',
      [
        'publish',
        dir,
        '--tag=latest',
        '--ignore-scripts',
        '--provenance=false',
        `--registry=${registry.url}`,
      ],
      work,
      2 * MINUTE,
    );
  }
  return `${tarballs.length} packages at ${version}`;
}

/** The service's @kenos/* dependencies (name → range) from its package.json. */
function kenosDependencies() {
  const manifest = JSON.parse(readFileSync(join(svc, 'package.json'), 'utf8'));
  const deps = {};
  for (const field of ['dependencies', 'devDependencies'])
    for (const [name, range] of Object.entries(manifest[field] ?? {}))
      if (name.startsWith('@kenos/')) deps[name] = range;
  return { manifest, deps };
}

/** Serves the repository's preset file on 127.0.0.1, as the repository preset would be fetched. */
function servePreset() {
  const body = readFileSync(presetFile);
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

function checkLog() {
  const records = parseLog(log);
  const branches = branchesFromLog(records);
  const { deps } = kenosDependencies();
  const names = Object.keys(deps).sort();
  const problems = [];
  if (branches.size !== 1)
    problems.push(
      `${branches.size} branches, not 1: ${[...branches.keys()].join(', ')}`,
    );
  const [[branchName, branch] = []] = [...branches];
  const covered = [
    ...new Set((branch?.updates ?? []).map((u) => u.depName)),
  ].sort();
  if (JSON.stringify(covered) !== JSON.stringify(names))
    problems.push(
      `the branch covers ${covered.join(', ')}; the service has ${names.join(', ')}`,
    );
  for (const u of branch?.updates ?? [])
    if (u.newVersion !== newer || u.currentValue !== older)
      problems.push(
        `${u.depName}: ${u.currentValue} -> ${u.newVersion}, not ${older} -> ${newer}`,
      );
  const expectedTitle = `Kenos platform SDK v${newer}`;
  const titles = prTitlesFromLog(records);
  if (titles.length !== 1 || titles[0] !== expectedTitle)
    problems.push(
      `pull request titles ${JSON.stringify(titles)}, not ["${expectedTitle}"]`,
    );
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return `1 branch ${branchName}, "${titles[0]}": ${names.length} dependencies ${older} -> ${newer} (${names.join(', ')})`;
}

const steps = [
  {
    title: 'start a throwaway npm registry (verdaccio) on 127.0.0.1',
    timeoutMs: MINUTE,
    run: async () => {
      registry = await startRegistryWithUser(work);
      env = cleanEnv({
        npm_config_userconfig: join(work, 'npmrc'),
        npm_config_registry: registry.url,
        npm_config_cache: join(work, 'npm-cache'),
      });
      return `${registry.url} (pid ${registry.pid})`;
    },
  },
  {
    title: 'install Renovate (once, into ~/.cache/kenos-renovate)',
    timeoutMs: 10 * MINUTE,
    run: () => {
      renovate = JSON.parse(
        execFileSync(process.execPath, [installScript], {
          encoding: 'utf8',
          timeout: 10 * MINUTE,
        }),
      );
      return renovate.dir;
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
    title: `publish them at ${older}`,
    timeoutMs: 10 * MINUTE,
    run: () => publishAt(older),
  },
  {
    title: `publish them at ${newer}`,
    timeoutMs: 10 * MINUTE,
    run: () => publishAt(newer),
  },
  {
    title: `npx @kenos/cli@${older} new order-api`,
    timeoutMs: 5 * MINUTE,
    run: async () => {
      mkdirSync(join(work, 'services'), { recursive: true });
      await run(
        'npx',
        ['--yes', `@kenos/cli@${older}`, 'new', svc],
        join(work, 'services'),
        5 * MINUTE,
      );
      // the service pins the older version (kenos new pins its own; rewritten here in case)
      const { manifest, deps } = kenosDependencies();
      for (const field of ['dependencies', 'devDependencies'])
        for (const name of Object.keys(manifest[field] ?? {}))
          if (name.startsWith('@kenos/')) manifest[field][name] = older;
      writeFileSync(
        join(svc, 'package.json'),
        `${JSON.stringify(manifest, null, 2)}\n`,
      );
      const config = JSON.parse(
        readFileSync(join(svc, 'renovate.json'), 'utf8'),
      );
      if (!config.extends?.includes(REPOSITORY_PRESET))
        throw new Error(
          `renovate.json does not extend ${REPOSITORY_PRESET}: ${JSON.stringify(config)}`,
        );
      return `${Object.keys(deps).length} @kenos/* dependencies pinned at ${older}; renovate.json extends ${REPOSITORY_PRESET}`;
    },
  },
  {
    title: 'renovate --platform=local --dry-run=lookup in the service',
    timeoutMs: 5 * MINUTE,
    run: async () => {
      // No GitHub here: the repository preset is served from this checkout on 127.0.0.1
      presetServer = await servePreset();
      const presetUrl = `http://127.0.0.1:${presetServer.address().port}/default.json`;
      const configFile = join(svc, 'renovate.json');
      const config = JSON.parse(readFileSync(configFile, 'utf8'));
      config.extends = config.extends.map((p) =>
        p === REPOSITORY_PRESET ? presetUrl : p,
      );
      writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);
      // Only @kenos/* is looked up: the other dependencies would be fetched through the uplink
      writeFileSync(
        join(work, 'renovate-global.json'),
        JSON.stringify({
          packageRules: [{ matchPackageNames: ['!@kenos/**'], enabled: false }],
        }),
      );
      const result = await runCommand(process.execPath, [renovate.renovate], {
        cwd: svc,
        env: {
          ...env,
          LOG_FORMAT: 'json',
          LOG_LEVEL: 'trace',
          RENOVATE_PLATFORM: 'local',
          RENOVATE_DRY_RUN: 'lookup',
          RENOVATE_CONFIG_FILE: join(work, 'renovate-global.json'),
          RENOVATE_BASE_DIR: join(work, 'renovate-base'),
          RENOVATE_NPMRC: `registry=${registry.url}\n`,
          RENOVATE_OSV_VULNERABILITY_ALERTS: 'false',
        },
        timeoutMs: 5 * MINUTE,
      });
      log = result.output;
      if (process.env.KENOS_RENOVATE_E2E_LOG)
        writeFileSync(process.env.KENOS_RENOVATE_E2E_LOG, log);
      if (result.code !== 0)
        throw new Error(
          `renovate exited with ${result.code ?? result.signal}:\n${tail(log, 20)}`,
        );
      return `${parseLog(log).length} log records`;
    },
  },
  {
    title:
      'the log: one branch, every @kenos/* dependency to the newer version, titled by the preset',
    timeoutMs: 30_000,
    run: checkLog,
  },
];

let cleaning;
function cleanup() {
  cleaning ??= (async () => {
    if (presetServer) await new Promise((ok) => presetServer.close(ok));
    if (registry) await registry.stop().catch(() => undefined);
    rmSync(work, { recursive: true, force: true, maxRetries: 3 });
    console.log(
      `cleaned up: ${registry ? `registry (pid ${registry.pid}) stopped, ` : ''}${work} removed`,
    );
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM'])
  process.once(signal, () => {
    console.log(`\n${signal}: stopping every process this run started`);
    signalChildren('SIGKILL');
    void cleanup().finally(() => {
      console.log('FAIL: interrupted');
      process.exit(130);
    });
  });

const started = Date.now();
console.log(
  `e2e:renovate: ${older} -> ${newer} through a local registry, in ${work}`,
);
let result = { passed: 0, failed: 1, skipped: 0, ok: false };
try {
  result = await runSteps(steps);
} catch (err) {
  console.log(`the run itself failed: ${err?.stack ?? err}`);
} finally {
  await cleanup();
}
console.log(
  `${summaryLine(result)} (${((Date.now() - started) / 1000).toFixed(0)} s)`,
);
process.exit(result.ok ? 0 : 1);
