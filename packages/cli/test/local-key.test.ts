import {
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runKenos } from './kenos-process.js';

describe('kenos local-key', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kenos-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('generates a key file with mode 0600 and prints the key id', async () => {
    const file = join(dir, 'dev.key');
    const r = await runKenos([
      'local-key',
      'generate',
      file,
      '--key-id',
      'dev-1',
    ]);
    expect(r).toMatchObject({ code: 0, stdout: 'dev-1\n' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      primary: 'dev-1',
    });
  });

  it('refuses to overwrite an existing key file: exit 1, one line on stderr, file unchanged', async () => {
    const file = join(dir, 'dev.key');
    await runKenos(['local-key', 'generate', file]);
    const before = readFileSync(file, 'utf8');
    const r = await runKenos(['local-key', 'generate', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('KENOS_ERR_CRYPTO_KEY_FILE_EXISTS');
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('creates the missing directory of the key file with mode 0700', async () => {
    const r = await runKenos(['local-key', 'generate', '.kenos/dev.key'], {
      cwd: dir,
    });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(statSync(join(dir, '.kenos')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, '.kenos', 'dev.key')).mode & 0o777).toBe(0o600);
  });

  it('shows the cause of a failure on its one line: caused by the errno error', async () => {
    writeFileSync(join(dir, 'not-a-dir'), '');
    const r = await runKenos(['local-key', 'generate', 'not-a-dir/dev.key'], {
      cwd: dir,
    });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^kenos local-key: cannot create the directory of the local key file not-a-dir\/dev\.key \(KENOS_ERR_CRYPTO_KEY_FILE\); caused by: E(NOTDIR|EXIST): [^;]*not-a-dir/,
    );
  });

  it('adds a new primary key; ciphertexts of the old key still decrypt', async () => {
    const file = join(dir, 'dev.key');
    await runKenos(['local-key', 'generate', file, '--key-id', 'k1']);
    const old = await runKenos(['encrypt', '--local-key', file], {
      input: 'before rotation',
    });
    const added = await runKenos(['local-key', 'add', file, '--key-id', 'k2']);
    expect(added).toMatchObject({ code: 0, stdout: 'k2\n' });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      primary: 'k2',
    });
    const dec = await runKenos(['decrypt', '--local-key', file], {
      input: old.stdout,
    });
    expect(dec).toMatchObject({ code: 0, stdout: 'before rotation' });
  });
});
