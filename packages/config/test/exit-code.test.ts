import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createLocalKeyProvider,
  encryptSecretFile,
  generateLocalKey,
} from '@kenos/crypto';
import { describe, expect, it } from 'vitest';
import { EX_CONFIG } from '../src/index.js';
import { serviceDir } from './helpers.js';

const fixture = fileURLToPath(
  new URL('./fixtures/bad-config.mjs', import.meta.url),
);

function run(cwd: string, env: Record<string, string>, args: string[] = []) {
  return spawnSync(process.execPath, [fixture, cwd, ...args], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    encoding: 'utf8',
    timeout: 15_000,
  });
}

describe('a process with invalid config', () => {
  it('prints every problem and exits 78 (EX_CONFIG) before starting', () => {
    const cwd = serviceDir({
      'config/default.yaml': 'db:\n  poolSize: many\n  colour: red\n',
    });
    const result = run(cwd, { DB_PASSWORD: '', HTTP_PORT: '99999' }, [
      '--grpc.port=abc',
    ]);
    expect(EX_CONFIG).toBe(78);
    expect(result.status).toBe(78);
    expect(result.stdout).not.toContain('started');
    for (const expected of [
      'Invalid configuration (5 problems)',
      'db.colour from file:config/default.yaml: unknown key',
      'db.poolSize (env DB_POOL_SIZE) from file:config/default.yaml: must be an integer >= 0; got "many"',
      'db.password (env DB_PASSWORD) from env:DB_PASSWORD: required, but DB_PASSWORD is empty',
      'http.port (env HTTP_PORT) from env:HTTP_PORT: must be a port within 0 - 65535; got "99999"',
      'grpc.port (env GRPC_PORT) from arg:--grpc.port: must be a port within 0 - 65535; got "abc"',
      'exit code 78',
    ]) {
      expect(result.stderr).toContain(expected);
    }
  });

  it('starts when the config is valid', () => {
    const result = run(serviceDir(), {
      DB_PASSWORD: 'long-enough-secret',
      HTTP_PORT: '8181',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('started on 8181');
  });

  it('exits 78 in staging when only the local development key opens the secrets file', async () => {
    const cwd = serviceDir();
    mkdirSync(join(cwd, 'config'));
    await generateLocalKey(join(cwd, '.kenos/dev.key'));
    writeFileSync(
      join(cwd, 'config/staging.secrets.yaml'),
      'db:\n  password: staging-password-1\n',
    );
    const keyProvider = createLocalKeyProvider({
      keyFile: join(cwd, '.kenos/dev.key'),
    });
    await encryptSecretFile(join(cwd, 'config/staging.secrets.yaml'), {
      keyProvider,
    });
    await keyProvider.close();
    const result = run(cwd, { KENOS_ENV: 'staging' });
    expect(result.status).toBe(78);
    expect(result.stdout).not.toContain('started');
    expect(result.stderr).toContain('Invalid configuration (1 problem)');
    expect(result.stderr).toContain(
      'from secrets:config/staging.secrets.yaml: only a local development key opens this secrets file',
    );
    expect(result.stderr).not.toContain('staging-password-1');
  });
});
