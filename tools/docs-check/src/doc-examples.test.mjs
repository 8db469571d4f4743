// Runs the shell examples of the user docs. Each ```sh block runs with bash -e in a fresh
// temporary directory, where `npx kenos` is the CLI built in this repository (no other npx
// command exists: nothing is downloaded) and examples/greeter holds the built example service.
// A block that cannot run here (it installs, starts a server, needs AWS or an editor) is preceded
// by `<!-- not-run: reason -->`.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readDoc, ROOT, userDocs } from './markdown.mjs';

const KENOS = join(ROOT, 'packages/cli/dist/bin.js');
const GREETER = join(ROOT, 'examples/greeter');
/** What a sandbox links from the example service: enough for `kenos config` to load it. */
const GREETER_ENTRIES = ['package.json', 'dist', 'config', '.kenos'];

const blocks = userDocs().flatMap((file) =>
  readDoc(file).shellBlocks.map((block) => ({ file, ...block })),
);
const sandboxes = [];
afterAll(() => {
  for (const dir of sandboxes) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory with `npx` (kenos only) on PATH and examples/greeter linked to the built example. */
function sandbox() {
  const dir = mkdtempSync(join(tmpdir(), 'kenos-doc-example-'));
  sandboxes.push(dir);
  const bin = join(dir, '.bin');
  mkdirSync(bin);
  writeFileSync(
    join(bin, 'npx'),
    `#!/bin/sh
if [ "$1" = kenos ]; then shift; exec "${process.execPath}" "${KENOS}" "$@"; fi
echo "doc examples run offline: only 'npx kenos' exists here; mark the block <!-- not-run: reason -->" >&2
exit 127
`,
  );
  chmodSync(join(bin, 'npx'), 0o755);
  mkdirSync(join(dir, 'examples/greeter'), { recursive: true });
  for (const entry of GREETER_ENTRIES)
    symlinkSync(join(GREETER, entry), join(dir, 'examples/greeter', entry));
  return {
    dir,
    env: {
      PATH: [
        bin,
        dirname(process.execPath),
        '/usr/local/bin',
        '/usr/bin',
        '/bin',
      ].join(':'),
      HOME: dir,
      AWS_CONFIG_FILE: '/nonexistent/aws-config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    },
  };
}

describe('the shell examples of the user docs', () => {
  it('are built: the CLI and the example service exist (nx builds them before this test)', () => {
    expect(existsSync(KENOS), KENOS).toBe(true);
    expect(
      existsSync(join(GREETER, 'dist/service.js')),
      'examples/greeter/dist/service.js',
    ).toBe(true);
  });

  it('give the reason of every example they do not run', () => {
    const unexplained = blocks
      .filter((b) => b.notRun === '')
      .map((b) => `${b.file}:${b.line}`);
    expect(unexplained).toEqual([]);
    expect(
      blocks.filter((b) => b.notRun === undefined).length,
    ).toBeGreaterThanOrEqual(5);
  });

  for (const block of blocks.filter((b) => b.notRun === undefined)) {
    it(`${block.file}:${block.line} runs and exits 0`, () => {
      const { dir, env } = sandbox();
      const r = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', block.code], {
        cwd: dir,
        env,
        encoding: 'utf8',
        timeout: 15_000, // below the 20 s test timeout: a hanging example is killed, not waited for
        input: '',
      });
      expect(
        { status: r.status, signal: r.signal, stderr: r.stderr },
        block.code,
      ).toMatchObject({ status: 0, signal: null });
    });
  }

  it('kenos config print in examples/greeter, with its defaults, names the config after the service', () => {
    const r = spawnSync(
      process.execPath,
      [KENOS, 'config', 'print', '--json'],
      {
        cwd: GREETER,
        env: { PATH: process.env.PATH ?? '' },
        encoding: 'utf8',
        timeout: 15_000, // below the 20 s test timeout: a hanging example is killed, not waited for
      },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const rows = JSON.parse(r.stdout);
    const value = (key) => rows.find((row) => row.key === key)?.value;
    expect(value('service.name')).toBe('greeter');
    expect(value('greeter.greeting')).toBe('Hello');
    expect(value('greeter.apiToken')).toBe('[sensitive]');
  });
});
