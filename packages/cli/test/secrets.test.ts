import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKenos } from './kenos-process.js';

const EDITOR = `"${process.execPath}" "${fileURLToPath(new URL('./fixtures/edit-secret.mjs', import.meta.url))}"`;
const PLAIN = 'db:\n  user: app\n  password: hunter2\napi_token: abc123\n';

function encValues(text: string): string[] {
  return text.match(/ENC\[[^\]]+\]/g) ?? [];
}

describe('kenos secrets', () => {
  let dir: string;
  let key: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kenos-cli-'));
    key = join(dir, 'dev.key');
    await runKenos(['local-key', 'generate', key]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('encrypts a YAML file in place with readable keys, and decrypts it to stdout', async () => {
    const file = join(dir, 'enc.yaml');
    writeFileSync(file, PLAIN);
    const enc = await runKenos([
      'secrets',
      'encrypt',
      file,
      '--local-key',
      key,
    ]);
    expect(enc.code).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('password:');
    expect(text).not.toContain('hunter2');
    expect(encValues(text).length).toBeGreaterThanOrEqual(3);
    const dec = await runKenos([
      'secrets',
      'decrypt',
      file,
      '--local-key',
      key,
    ]);
    expect(dec.code).toBe(0);
    expect(dec.stdout).toContain('password: hunter2');
    expect(dec.stdout).toContain('api_token: abc123');
    const again = await runKenos([
      'secrets',
      'encrypt',
      file,
      '--local-key',
      key,
    ]);
    expect(again.code).toBe(1);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('edits through $EDITOR: only the changed value gets a new ciphertext, the plaintext copy is removed', async () => {
    const file = join(dir, 'edit.yaml');
    writeFileSync(file, PLAIN);
    await runKenos(['secrets', 'encrypt', file, '--local-key', key]);
    const before = encValues(readFileSync(file, 'utf8'));
    const record = join(dir, 'edited-path');
    const r = await runKenos(['secrets', 'edit', file, '--local-key', key], {
      env: {
        EDITOR,
        EDIT_FROM: 'hunter2',
        EDIT_TO: 'correct-horse',
        EDIT_RECORD: record,
      },
    });
    expect(r.stderr).toContain('saved');
    expect(r.code).toBe(0);
    const after = encValues(readFileSync(file, 'utf8'));
    expect(after.filter((v) => !before.includes(v))).toHaveLength(1);
    expect(existsSync(readFileSync(record, 'utf8'))).toBe(false);
    const dec = await runKenos([
      'secrets',
      'decrypt',
      file,
      '--local-key',
      key,
    ]);
    expect(dec.stdout).toContain('password: correct-horse');
  });

  it('creates a secret file that does not exist yet through $EDITOR', async () => {
    const file = join(dir, 'new.yaml');
    const writer = `"${process.execPath}" "${fileURLToPath(new URL('./fixtures/write-secret.mjs', import.meta.url))}"`;
    const r = await runKenos(['secrets', 'edit', file, '--local-key', key], {
      env: { EDITOR: writer, CONTENT: 'token: brand-new-secret\n' },
    });
    expect(r.code).toBe(0);
    expect(readFileSync(file, 'utf8')).not.toContain('brand-new-secret');
    const dec = await runKenos([
      'secrets',
      'decrypt',
      file,
      '--local-key',
      key,
    ]);
    expect(dec.stdout).toContain('token: brand-new-secret');
  });

  it('leaves the file unchanged when the editor fails: exit 1, one line on stderr', async () => {
    const file = join(dir, 'fail.yaml');
    writeFileSync(file, PLAIN);
    await runKenos(['secrets', 'encrypt', file, '--local-key', key]);
    const before = readFileSync(file, 'utf8');
    const r = await runKenos(['secrets', 'edit', file, '--local-key', key], {
      env: { EDITOR: 'exit 3;' },
    });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('code 3');
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('rotates the data key (every value changes) and updates keys to another key file', async () => {
    const file = join(dir, 'rotate.json');
    writeFileSync(
      file,
      JSON.stringify({ db: { password: 'hunter2' }, port: 5432 }),
    );
    await runKenos(['secrets', 'encrypt', file, '--local-key', key]);
    const before = encValues(readFileSync(file, 'utf8'));
    expect(
      (await runKenos(['secrets', 'rotate', file, '--local-key', key])).code,
    ).toBe(0);
    const after = encValues(readFileSync(file, 'utf8'));
    expect(after.filter((v) => before.includes(v))).toHaveLength(0);
    const second = join(dir, 'second.key');
    await runKenos(['local-key', 'generate', second]);
    expect(
      (await runKenos(['secrets', 'decrypt', file, '--local-key', second]))
        .code,
    ).toBe(1);
    const up = await runKenos([
      'secrets',
      'updatekeys',
      file,
      '--local-key',
      key,
      '--local-key',
      second,
    ]);
    expect(up.code).toBe(0);
    expect(encValues(readFileSync(file, 'utf8'))).toEqual(after);
    const dec = await runKenos([
      'secrets',
      'decrypt',
      file,
      '--local-key',
      second,
    ]);
    expect(dec.code).toBe(0);
    expect(JSON.parse(dec.stdout)).toEqual({
      db: { password: 'hunter2' },
      port: 5432,
    });
  });

  it('chooses keys by the pathRegex rules of .kenos-keys.json', async () => {
    const repo = mkdtempSync(join(dir, 'repo-'));
    writeFileSync(
      join(repo, '.kenos-keys.json'),
      JSON.stringify({
        rules: [{ pathRegex: '^config/secrets\\.', localKey: key }],
      }),
    );
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(repo, 'config'));
    writeFileSync(join(repo, 'config', 'secrets.yaml'), PLAIN);
    expect(
      (
        await runKenos(['secrets', 'encrypt', 'config/secrets.yaml'], {
          cwd: repo,
        })
      ).code,
    ).toBe(0);
    expect(
      (
        await runKenos(['secrets', 'decrypt', 'config/secrets.yaml'], {
          cwd: repo,
        })
      ).stdout,
    ).toContain('hunter2');
    writeFileSync(join(repo, 'other.yaml'), PLAIN);
    expect(
      (await runKenos(['secrets', 'encrypt', 'other.yaml'], { cwd: repo }))
        .code,
    ).toBe(2);
  });

  it('exits 2 for an unknown action', async () => {
    const r = await runKenos([
      'secrets',
      'shred',
      'x.yaml',
      '--local-key',
      key,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown action 'shred'");
  });
});
