import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type LogLine,
  type ServiceProcess,
  startService,
  stopAllServices,
} from '@kenos/testing';

// The admin server of a real service process: who may change the log level, on which interface it
// listens, and what its answers and audit line look like.

const fixture = fileURLToPath(
  new URL('./fixtures/service.mjs', import.meta.url),
);
const TOKEN = 'adm1n-t0ken-for-the-test-9f3c';
const running: ServiceProcess[] = [];
afterAll(async () => {
  for (const svc of running) svc.kill('SIGTERM');
  await Promise.all(running.map((svc) => svc.exited));
  await stopAllServices();
});

async function service(env: Record<string, string>): Promise<ServiceProcess> {
  // production needs the KMS key provider; it is made lazily, so no KMS is reached
  const svc = await startService(fixture, 'api', {
    env: { KENOS_KEY_PROVIDER: 'aws', ...env },
    readyTimeoutMs: 30_000,
  });
  running.push(svc);
  return svc;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  host = '127.0.0.1',
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host, port, method, path, headers, agent: false, timeout: 5000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body }),
        );
      },
    );
    req
      .on('timeout', () => req.destroy(new Error('timeout')))
      .on('error', reject)
      .end();
  });
}

const adminOf = (svc: ServiceProcess): number => svc.ports.admin ?? 0;
const level = async (port: number): Promise<unknown> =>
  JSON.parse((await call(port, 'GET', '/log-level')).body);
const listening = (l: LogLine): boolean =>
  typeof l.msg === 'string' && l.msg.startsWith('admin server listening');

describe('PUT /log-level on a spawned service', () => {
  it('refuses it with 403 problem+json in production without a token, and keeps probes and metrics open', async () => {
    const svc = await service({ KENOS_ENV: 'production' });
    const port = adminOf(svc);
    const refused = await call(port, 'PUT', '/log-level?level=silent');
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(refused.body)).toMatchObject({
      status: 403,
      code: 'KENOS_ERR_LIFECYCLE_ADMIN_FORBIDDEN',
    });
    expect(await level(port)).toEqual({ level: 'info' });
    expect((await call(port, 'GET', '/live')).status).toBe(200);
    expect((await call(port, 'GET', '/ready')).status).toBe(200);
    expect((await call(port, 'GET', '/metrics')).status).toBe(200);
    expect(svc.lines.find(listening)).toMatchObject({
      adminMutatingRoutes: 'off',
    });
  });

  it('accepts it in production only with the token of ADMIN_TOKEN_FILE, and records the change with its own field', async () => {
    const file = join(
      mkdtempSync(join(tmpdir(), 'kenos-admin-')),
      'admin-token',
    );
    writeFileSync(file, `${TOKEN}\n`);
    const svc = await service({
      KENOS_ENV: 'production',
      ADMIN_TOKEN_FILE: file,
    });
    const port = adminOf(svc);
    const missing = await call(port, 'PUT', '/log-level?level=silent');
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(JSON.parse(missing.body)).toMatchObject({
      code: 'KENOS_ERR_LIFECYCLE_ADMIN_UNAUTHORIZED',
    });
    expect(
      (
        await call(port, 'PUT', '/log-level?level=silent', {
          authorization: 'Bearer wrong-token',
        })
      ).status,
    ).toBe(401);
    expect(await level(port)).toEqual({ level: 'info' });

    const auth = { authorization: `Bearer ${TOKEN}` };
    const changed = await call(port, 'PUT', '/log-level?level=debug', auth);
    expect(changed.status).toBe(200);
    expect(JSON.parse(changed.body)).toEqual({ level: 'debug' });
    const audit = await svc.waitForLine(
      (l) => l.msg === 'log level changed through the admin server',
    );
    // `level` is the severity of the line, not the new level (a parser keeps the last duplicate key)
    expect(audit).toMatchObject({
      level: 'warn',
      log_level: { from: 'info', to: 'debug' },
    });

    // a change to silent is still on record: the line is written before the level drops
    expect(
      (await call(port, 'PUT', '/log-level?level=silent', auth)).status,
    ).toBe(200);
    await svc.waitForLine(
      (l) => (l['log_level'] as { to?: string } | undefined)?.to === 'silent',
    );
    expect(await level(port)).toEqual({ level: 'silent' });
    expect(
      (await call(port, 'PUT', '/log-level?level=info', auth)).status,
    ).toBe(200);

    const bad = await call(port, 'PUT', '/log-level?level=loud', auth);
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(bad.body)).toMatchObject({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      code: 'KENOS_ERR_SERVER_INVALID_LOG_LEVEL',
      errors: [{ field: 'level' }],
    });
    expect(JSON.stringify(svc.lines)).not.toContain(TOKEN);
  });

  it('is open without a token in development', async () => {
    const svc = await service({
      KENOS_ENV: 'development',
      KENOS_KEY_PROVIDER: 'local',
    });
    const port = adminOf(svc);
    expect((await call(port, 'PUT', '/log-level?level=debug')).status).toBe(
      200,
    );
    expect(await level(port)).toEqual({ level: 'debug' });
    expect(svc.lines.find(listening)).toMatchObject({
      adminMutatingRoutes: 'open',
    });
  });

  it('never changes the level on a HEAD request, which the access check lets through as read-only', async () => {
    const svc = await service({ KENOS_ENV: 'production', ADMIN_TOKEN: TOKEN });
    const port = adminOf(svc);
    expect((await call(port, 'HEAD', '/log-level?level=silent')).status).toBe(
      200,
    );
    expect(await level(port)).toEqual({ level: 'info' });
  });
});

describe('ADMIN_HOST', () => {
  it('binds only the given interface: 127.0.0.1 refuses 127.0.0.2, the default all-interfaces bind answers it', async () => {
    const loopback = await service({
      KENOS_ENV: 'production',
      ADMIN_HOST: '127.0.0.1',
    });
    expect(loopback.lines.find(listening)).toMatchObject({
      adminHost: '127.0.0.1',
    });
    expect((await call(adminOf(loopback), 'GET', '/live')).status).toBe(200);
    await expect(
      call(adminOf(loopback), 'GET', '/live', {}, '127.0.0.2'),
    ).rejects.toThrow(/ECONNREFUSED/);

    const all = await service({ KENOS_ENV: 'production' });
    expect(all.lines.find(listening)).toMatchObject({ adminHost: '0.0.0.0' });
    expect(
      (await call(adminOf(all), 'GET', '/live', {}, '127.0.0.2')).status,
    ).toBe(200);
  });
});
