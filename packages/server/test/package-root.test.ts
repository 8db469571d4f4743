import { existsSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createGrpcClient,
  ECHO_PROTO_PATH,
  spawnService,
  startService,
  stopAllServices,
  unary,
} from '@kenos/testing';
import { writeRootedPackage } from './fixtures/rooted-package.js';

afterAll(() => stopAllServices());

/** A working directory that is not the package: nothing may be read relative to it. */
const elsewhere = (): string =>
  realpathSync(mkdtempSync(join(tmpdir(), 'kenos-cwd-')));

describe('a service that declares root: import.meta.url', () => {
  it.each([
    ['a module in a nested directory of dist/', 'dist/nested/deep/main.mjs'],
    ['a single-file bundle at the top of dist/', 'dist/main.mjs'],
  ])(
    'finds its package from %s and reads config/ there, whatever the working directory',
    async (_where, entry) => {
      const pkg = writeRootedPackage({ entry });
      const svc = await startService(pkg.entry, 'api', {
        cwd: elsewhere(),
        readyTimeoutMs: 30_000,
      });
      const res = await fetch(svc.url('/whoami'));
      expect(await res.json()).toEqual({
        greeting: 'from the package root',
        root: pkg.dir,
        version: '4.5.6',
      });
      svc.kill('SIGTERM');
      expect((await svc.exited).code).toBe(0);
    },
  );

  it('serves a gRPC service whose relative protoPath is resolved against the package root', async () => {
    const pkg = writeRootedPackage();
    const svc = await startService(pkg.entry, 'api', {
      cwd: elsewhere(),
      readyTimeoutMs: 30_000,
    });
    const client = createGrpcClient({
      protoPath: ECHO_PROTO_PATH,
      service: 'kenos.testing.v1.EchoService',
      address: svc.grpcAddress(),
    });
    try {
      const { response, error } = await unary<{ text: string }>(
        client,
        'Echo',
        { text: 'found' },
      );
      expect(error).toBeUndefined();
      expect(response?.text).toBe('found');
    } finally {
      client.close();
    }
  });

  it('takes its version from the package.json at the root when the definition names none', async () => {
    const pkg = writeRootedPackage({
      packageJson: { name: 'rooted-fixture', version: '7.8.9-rc.1' },
    });
    const svc = await startService(pkg.entry, 'api', {
      cwd: elsewhere(),
      readyTimeoutMs: 30_000,
    });
    const ready = await svc.waitForLine('service ready');
    expect(ready['version']).toBe('7.8.9-rc.1');
    const whoami = (await (await fetch(svc.url('/whoami'))).json()) as {
      version: string;
    };
    expect(whoami.version).toBe('7.8.9-rc.1');
    const metrics = await (await fetch(svc.adminUrl('/metrics'))).text();
    expect(metrics).toMatch(/kenos_build_info\{[^}]*version="7\.8\.9-rc\.1"/);
  });

  it('exits 78 with KENOS_ERR_SERVER_NO_PACKAGE_ROOT, naming where it looked, when no package.json is above the root', async () => {
    const pkg = writeRootedPackage({ packageJson: null });
    // the test needs a temporary directory with no package.json above it
    for (let d = pkg.dir; d !== dirname(d); d = dirname(d))
      expect(existsSync(join(d, 'package.json')), d).toBe(false);
    const svc = spawnService(pkg.entry, 'api', { cwd: elsewhere() });
    const { code } = await svc.exited;
    expect(code).toBe(78);
    const fatal = svc.lines.filter((l) => l.level === 'fatal');
    expect(fatal).toHaveLength(1);
    expect(fatal[0]?.['code']).toBe('KENOS_ERR_SERVER_NO_PACKAGE_ROOT');
    expect(fatal[0]?.msg).toContain(join(pkg.dir, 'dist/nested/deep'));
    expect(svc.lines.some((l) => l.msg === 'service ready')).toBe(false);
  });
});
