import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  ServiceNotReadyError,
  spawnService,
  startService,
  stopAllServices,
  TestingError,
} from '../src/index.js';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const httpService = fixture('http-service.mjs');

afterEach(async () => {
  await stopAllServices();
});

describe('startService', () => {
  it('resolves once the service logged service ready, with its HTTP and admin ports', async () => {
    const svc = await startService(httpService, 'api', {
      env: { FIXTURE_ECHO: 'hi' },
      args: ['--flag'],
    });
    expect(svc.ports.http).toBeGreaterThan(0);
    expect(svc.ports.admin).toBeGreaterThan(0);
    expect(svc.ports.grpc).toBeUndefined();
    expect(await (await fetch(svc.url('/hello'))).text()).toBe(
      'hello from /hello',
    );
    expect(await (await fetch(svc.adminUrl('live'))).text()).toBe('live');
    expect(svc.lines[0]).toMatchObject({
      msg: 'starting',
      component: 'api',
      args: ['--flag'],
      echo: 'hi',
      port_env: '0',
    });
    expect(svc.lines).toContainEqual({ raw: 'a plain text line' });
    await svc.waitForLine('tick');
    expect(svc.stderr).toContain('a warning on stderr');
    expect(svc.exitInfo).toBeUndefined();
  });

  it('rejects with KENOS_ERR_TESTING_NOT_READY carrying the exit code, stderr and log lines when the service exits first', async () => {
    const err: unknown = await startService(
      fixture('invalid-config.mjs'),
      'api',
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceNotReadyError);
    const notReady = err as ServiceNotReadyError;
    expect(notReady.code).toBe('KENOS_ERR_TESTING_NOT_READY');
    expect(notReady.exit?.code).toBe(78);
    expect(notReady.stderr).toBe('http.port: must be a port number\n');
    expect(notReady.lines).toEqual([
      {
        level: 'fatal',
        msg: 'invalid config',
        code: 'KENOS_ERR_CONFIG_INVALID',
      },
    ]);
    expect(notReady.message).toMatch(
      /exited with code 78 before logging "service ready"/,
    );
    expect(notReady.message).toContain('must be a port number');
    expect(notReady.message).toContain('KENOS_ERR_CONFIG_INVALID');
  });

  it('kills a service that does not log ready within readyTimeoutMs and rejects with KENOS_ERR_TESTING_NOT_READY', async () => {
    const err = (await startService(fixture('silent.mjs'), 'api', {
      readyTimeoutMs: 2000,
    }).catch((e: unknown) => e)) as ServiceNotReadyError;
    expect(err.code).toBe('KENOS_ERR_TESTING_NOT_READY');
    expect(err.exit).toBeUndefined();
    expect(err.message).toContain('did not log "service ready" within 2000 ms');
    expect(err.lines).toEqual([{ level: 'info', msg: 'starting' }]);
    expect(await stopAllServices()).toEqual([]);
  });
});

describe('spawnService', () => {
  it('returns before ready and resolves exited with the exit code of a process that never becomes ready', async () => {
    const svc = spawnService(fixture('invalid-config.mjs'), 'batch:report');
    expect(svc.ports).toEqual({});
    expect(() => svc.url('/')).toThrow(
      expect.objectContaining({ code: 'KENOS_ERR_TESTING_NO_PORT' }),
    );
    const exit = await svc.exited;
    expect(exit).toMatchObject({ code: 78, signal: null });
    expect(svc.exitInfo).toBe(exit);
    expect(svc.lines).toContainEqual(
      expect.objectContaining({ msg: 'invalid config' }),
    );
  });

  it('resolves exited with code null and the spawn error in stderr when the process cannot be spawned', async () => {
    const svc = spawnService(httpService, 'api', {
      cwd: fileURLToPath(new URL('./no-such-dir/', import.meta.url)),
    });
    expect(await svc.exited).toMatchObject({ code: null, signal: null });
    expect(svc.stderr).toContain('ENOENT');
  });

  it('throws KENOS_ERR_TESTING_NO_PORT for grpcAddress of a service without a gRPC port', async () => {
    const svc = await startService(httpService, 'api');
    expect(() => svc.grpcAddress()).toThrow(TestingError);
  });
});

describe('waitForLine', () => {
  it('finds a logged line by msg and waits for a future one by predicate', async () => {
    const svc = await startService(httpService, 'api');
    expect(await svc.waitForLine('starting')).toMatchObject({
      component: 'api',
    });
    const shutdown = svc.waitForLine(
      (l) => l.msg === 'shutdown started' && l['signal'] === 'SIGTERM',
    );
    svc.kill();
    await expect(shutdown).resolves.toMatchObject({ msg: 'shutdown started' });
  });

  it('rejects with KENOS_ERR_TESTING_LINE_TIMEOUT after its timeout', async () => {
    const svc = await startService(httpService, 'api');
    await expect(svc.waitForLine('never logged', 200)).rejects.toMatchObject({
      code: 'KENOS_ERR_TESTING_LINE_TIMEOUT',
      message: expect.stringContaining('within 200 ms'),
    });
  });

  it('rejects with KENOS_ERR_TESTING_LINE_TIMEOUT when the process exits without a matching line', async () => {
    const svc = spawnService(fixture('invalid-config.mjs'), 'api');
    await expect(svc.waitForLine('service ready')).rejects.toMatchObject({
      code: 'KENOS_ERR_TESTING_LINE_TIMEOUT',
      message: expect.stringContaining('code 78'),
    });
    await expect(svc.waitForLine('also never')).rejects.toMatchObject({
      code: 'KENOS_ERR_TESTING_LINE_TIMEOUT',
    });
  });
});

describe('stop', () => {
  it('sends SIGTERM and resolves with the exit code the service chose', async () => {
    const svc = await startService(httpService, 'api', {
      env: { FIXTURE_EXIT_CODE: '3' },
    });
    const exit = await svc.stop();
    expect(exit).toMatchObject({ code: 3, signal: null });
    expect(svc.lines).toContainEqual(
      expect.objectContaining({ msg: 'shutdown started' }),
    );
    expect(await svc.stop()).toBe(exit);
    expect(svc.kill()).toBe(false);
  });

  it('sends SIGKILL when the service outlives the stop timeout', async () => {
    const svc = await startService(httpService, 'api', {
      env: { FIXTURE_IGNORE_SIGTERM: 'true' },
    });
    const exit = await svc.stop('SIGTERM', 300);
    expect(exit).toMatchObject({ code: null, signal: 'SIGKILL' });
    expect(svc.lines).toContainEqual(
      expect.objectContaining({ msg: 'shutdown started' }),
    );
  });
});

describe('stopAllServices', () => {
  const outsider = spawn(process.execPath, [fixture('silent.mjs')], {
    stdio: 'ignore',
  });
  afterAll(() => {
    outsider.kill('SIGKILL');
  });

  it('stops every running service it started and leaves other child processes alone', async () => {
    const a = await startService(httpService, 'api');
    const b = spawnService(fixture('silent.mjs'), 'worker:jobs');
    const exits = await stopAllServices();
    expect(exits).toHaveLength(2);
    expect((await a.exited).signal).toBe('SIGKILL');
    expect((await b.exited).signal).toBe('SIGKILL');
    expect(outsider.exitCode).toBeNull();
    expect(outsider.signalCode).toBeNull();
    expect(outsider.kill(0)).toBe(true);
  });
});
