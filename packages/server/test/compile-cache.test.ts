import { mkdtempSync, readdirSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnNode, stopAllProcesses } from '@kenos/testing';
import { writeRootedPackage } from './fixtures/rooted-package.js';

afterAll(() => stopAllProcesses());

describe("runService and Node's compile cache", () => {
  it('enables the compile cache in the default directory, so the modules it loads later are cached', async () => {
    const pkg = writeRootedPackage();
    const tmp = realpathSync(mkdtempSync(join(tmpdir(), 'kenos-tmpdir-')));
    // only what the service needs: no NODE_COMPILE_CACHE (nor NODE_OPTIONS) from the test's environment
    const proc = spawnNode(pkg.entry, ['api'], {
      inheritEnv: false,
      env: {
        PATH: process.env['PATH'] ?? '',
        TMPDIR: tmp,
        HTTP_PORT: '0',
        GRPC_PORT: '0',
        ADMIN_PORT: '0',
      },
    });
    await proc.waitForLine('service ready', 30_000);
    proc.kill('SIGTERM');
    expect((await proc.exited).code).toBe(0);
    // <TMPDIR>/node-compile-cache/<node version and flags>/<one file per compiled module>
    const cached = readdirSync(join(tmp, 'node-compile-cache'), {
      recursive: true,
      withFileTypes: true,
    }).filter((e) => e.isFile());
    expect(cached.length).toBeGreaterThan(0);
  });
});
