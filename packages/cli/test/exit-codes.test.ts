import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKenos } from './kenos-process.js';

// The rule of docs/cli.md: 0 success, 1 the command failed (one line with a
// KENOS_ERR_* code), 2 a usage error (the usage on stderr), 78 invalid config.
describe('kenos exit codes', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kenos-cli-exit-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 2 with the command list on stderr when no command is given', async () => {
    const r = await runKenos([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('missing command');
    expect(r.stderr).toContain('Usage: kenos <command>');
  });

  it('exits 2, as for a malformed value, when a kms-local rate is out of range', async () => {
    for (const args of [
      ['--throttle-rate', '2'],
      ['--error-rate', 'Decrypt=1.5'],
    ]) {
      const r = await runKenos(['kms-local', '--port', '0', ...args]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('from 0 to 1');
      expect(r.stderr).toContain('Usage: kenos kms-local');
    }
  });

  it('exits 1 with KENOS_ERR_CLI_OUTPUT when observability write is given a file, or a path under one', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    for (const target of [file, join(file, 'sub')]) {
      const r = await runKenos(['observability', 'write', target]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('(KENOS_ERR_CLI_OUTPUT)');
      expect(r.stderr).toContain(target);
    }
  });

  it.skipIf(!existsSync('/proc/self'))(
    'exits 1 at once with KENOS_ERR_CLI_OUTPUT when observability write cannot create the directory (/proc)',
    async () => {
      const r = await runKenos([
        'observability',
        'write',
        '/proc/kenos-no-such-dir/out',
      ]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('(KENOS_ERR_CLI_OUTPUT)');
      expect(r.stderr).toContain('cannot create the directory');
    },
  );

  it('names the file, line and column of a YAML secret file that does not parse', async () => {
    mkdirSync(join(dir, 'config'), { recursive: true });
    const key = join(dir, 'dev.key');
    expect(
      (await runKenos(['local-key', 'generate', key], { cwd: dir })).code,
    ).toBe(0);
    writeFileSync(
      join(dir, 'config/development.secrets.yaml'),
      'token: abcdef\napi:\n  user: me\n  user: you\n',
    );
    const r = await runKenos(
      [
        'secrets',
        'encrypt',
        'config/development.secrets.yaml',
        '--local-key',
        key,
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(
      'config/development.secrets.yaml: the yaml of the secret file does not parse at line 4, column 3: Map keys must be unique',
    );
    expect(r.stderr).toContain('(KENOS_ERR_CRYPTO_SECRET_FILE)');
  });
});
