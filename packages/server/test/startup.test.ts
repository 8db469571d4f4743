import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnService, startService, stopAllServices } from '@kenos/testing';

const fixture = fileURLToPath(
  new URL('./fixtures/service.mjs', import.meta.url),
);
afterAll(() => stopAllServices());

describe('startup failures', () => {
  it('exits 78 on invalid config, listing every problem in one line', async () => {
    const svc = spawnService(fixture, 'api', {
      env: { HTTP_PORT: 'eighty', LOG_LEVEL: 'loud', FIXTURE_JOBS: '-1' },
    });
    const { code } = await svc.exited;
    expect(code).toBe(78);
    const fatal = svc.lines.filter((l) => l.level === 'fatal');
    expect(fatal).toHaveLength(1);
    expect(fatal[0]?.['code']).toBe('KENOS_ERR_CONFIG_INVALID');
    const problems = fatal[0]?.['problems'] as string[];
    expect(problems.join('\n')).toMatch(/http\.port/);
    expect(problems.join('\n')).toMatch(/log\.level/);
    expect(problems.join('\n')).toMatch(/fixture\.jobs/);
    expect(svc.lines.some((l) => l.msg === 'service ready')).toBe(false);
  });

  it('exits non-zero with one clear line when the HTTP port is in use, before reporting ready', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, '0.0.0.0', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const svc = spawnService(fixture, 'api', {
        env: { HTTP_PORT: String(port) },
      });
      const { code } = await svc.exited;
      expect(code).toBe(1);
      const fatal = svc.lines.find((l) => l.level === 'fatal');
      expect(fatal?.msg).toBe(
        `http port ${port} (HTTP_PORT) is already in use`,
      );
      expect(svc.lines.some((l) => l.msg === 'service ready')).toBe(false);
    } finally {
      blocker.close();
    }
  });

  it('exits 64 naming the offered components when the component is unknown', async () => {
    const svc = spawnService(fixture, 'worker:nope');
    const { code } = await svc.exited;
    expect(code).toBe(64);
    expect(svc.lines[0]?.['components']).toEqual([
      'api',
      'worker:jobs',
      'batch:ok',
      'batch:fail',
      'batch:slow',
    ]);
  });

  it('logs an unhandled rejection at fatal with its stack and shuts down gracefully with exit code 1', async () => {
    const svc = await startService(fixture, 'api', { readyTimeoutMs: 30_000 });
    expect(
      (await fetch(`http://127.0.0.1:${svc.ports.http}/unhandled-rejection`))
        .status,
    ).toBe(200);
    const { code } = await svc.exited;
    expect(code).toBe(1);
    const fatal = svc.lines.find((l) => l.level === 'fatal');
    expect(JSON.stringify(fatal)).toContain('nobody awaited me');
    expect(svc.lines.some((l) => /shutdown complete/.test(String(l.msg)))).toBe(
      true,
    );
  });
});

describe('startup cost', () => {
  it("does not load Node's bundled undici (fetch) when the HTTP transport and the admin server are loaded", async () => {
    // an ESM import of node:http syncs every export of its facade, one of which loads undici (~35 ms)
    const { execFile } = await import('node:child_process');
    const transport = fileURLToPath(
      new URL('../dist/http/http-transport.js', import.meta.url),
    );
    const script = `await import(${JSON.stringify(transport)}); await import('@kenos/lifecycle');
      process.stdout.write(JSON.stringify(process.moduleLoadList.filter((m) => m.includes('undici'))));`;
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ['--input-type=module', '-e', script],
        { cwd: fileURLToPath(new URL('..', import.meta.url)) },
        (err, out) => (err ? reject(err) : resolve(out)),
      ),
    );
    expect(JSON.parse(stdout)).toEqual([]);
  });
});
