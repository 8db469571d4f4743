#!/usr/bin/env node
// The Debian packages the tests and benchmarks run for real (Prometheus and promtool for the
// metric and alert tests, h2load for the gRPC benchmark), listed in .ci/apt-packages.txt.
// `ensureSystemDeps()` installs the missing ones when it can (root with apt-get, as on CI and a
// fresh Debian machine) and otherwise says exactly what to install; run directly by .ci/run.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const listFile = new URL('../../.ci/apt-packages.txt', import.meta.url);

/** The package names of .ci/apt-packages.txt (comments and blank lines skipped). */
export function systemPackages() {
  return readFileSync(listFile, 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean);
}

const ok = (cmd, args) =>
  spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;

/** Installs the missing packages with apt-get when running as root; else exits 1 with the command to run. */
export function ensureSystemDeps() {
  const hasDpkg = ok('dpkg', ['--version']);
  const missing = hasDpkg
    ? systemPackages().filter((p) => !ok('dpkg', ['-s', p]))
    : [];
  if (!hasDpkg) {
    if (ok('promtool', ['--version']) && ok('prometheus', ['--version']))
      return;
    console.error(
      'KENOS_ERR_SYSTEM_DEPS: the tests need prometheus and promtool on PATH (Debian/Ubuntu: apt-get install prometheus).',
    );
    process.exit(1);
  }
  if (missing.length === 0) return;
  if (process.getuid?.() === 0 && ok('apt-get', ['--version'])) {
    console.log(
      `installing Debian packages the tests use: ${missing.join(' ')}`,
    );
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = spawnSync('apt-get', ['update', '-qq'], {
      stdio: 'inherit',
      env,
    });
    const install =
      update.status === 0 &&
      spawnSync(
        'apt-get',
        ['install', '-y', '-qq', '--no-install-recommends', ...missing],
        { stdio: 'inherit', env },
      );
    if (install && install.status === 0) return;
  }
  console.error(
    `KENOS_ERR_SYSTEM_DEPS: missing Debian packages ${missing.join(', ')}: run  sudo apt-get install -y ${missing.join(' ')}`,
  );
  process.exit(1);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  ensureSystemDeps();
