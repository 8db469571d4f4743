import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createLifecycle } from '../src/create-lifecycle.js';
import { createFallbackLogger } from '../src/logger.js';
import type { LifecycleOptions } from '../src/options.js';
import type { Lifecycle } from '../src/types.js';

// The admin server of a real lifecycle on 127.0.0.1, port 0, asked over real HTTP.

const TOKEN = 'admin-token-0123456789abcdef';
const started: Lifecycle[] = [];

interface Answer {
  status: number;
  type: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

async function adminServer(extra: LifecycleOptions = {}) {
  const logs: Record<string, unknown>[] = [];
  const changes: string[] = [];
  const lifecycle = createLifecycle({
    adminPort: 0,
    adminHost: '127.0.0.1',
    handleSignals: false,
    handleCrashes: false,
    shutdownDelayMs: 0,
    logger: createFallbackLogger({}, (line) =>
      logs.push(JSON.parse(line) as Record<string, unknown>),
    ),
    exit: () => undefined,
    ...extra,
  });
  started.push(lifecycle);
  lifecycle.adminRoute('GET', '/log-level', (_req, res) => res.end('info'));
  lifecycle.adminRoute('PUT', '/log-level', (req, res) => {
    changes.push(req.url ?? '');
    res.end('changed');
  });
  lifecycle.adminRoute('POST', '/boom', () => Promise.reject(new Error('bug')));
  const port = await lifecycle.start();
  const call = (
    method: string,
    path: string,
    headers: Record<string, string> = {},
  ): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, method, path, headers, agent: false },
        (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (c: string) => (body += c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              type: res.headers['content-type'],
              headers: res.headers,
              body,
            }),
          );
        },
      );
      req.on('error', reject).end();
    });
  return { lifecycle, call, logs, changes };
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((l) => l.shutdown('test over')));
});

describe('AdminServer: mutating routes', () => {
  it('refuses a mutating route with 403 problem+json when no token is configured, and never calls it', async () => {
    const { call, changes, logs } = await adminServer();
    const answer = await call('PUT', '/log-level?level=silent');
    expect(answer.status).toBe(403);
    expect(answer.type).toBe('application/problem+json');
    expect(JSON.parse(answer.body)).toMatchObject({
      type: 'about:blank',
      title: 'Forbidden',
      status: 403,
      code: 'KENOS_ERR_LIFECYCLE_ADMIN_FORBIDDEN',
    });
    expect(changes).toEqual([]);
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        code: 'KENOS_ERR_LIFECYCLE_ADMIN_FORBIDDEN',
        method: 'PUT',
        path: '/log-level',
      }),
    );
  });

  it('keeps the probes and read-only routes open whatever the mode', async () => {
    for (const options of [{}, { adminToken: TOKEN }] as LifecycleOptions[]) {
      const { call } = await adminServer(options);
      expect((await call('GET', '/live')).status).toBe(200);
      expect((await call('GET', '/health')).status).toBe(500); // starting, not refused
      expect(await call('GET', '/log-level')).toMatchObject({
        status: 200,
        body: 'info',
      });
      expect((await call('HEAD', '/log-level')).status).toBe(200);
    }
  });

  it('answers 401 with WWW-Authenticate: Bearer without the token or with a wrong one', async () => {
    const { call, changes } = await adminServer({ adminToken: TOKEN });
    const missing = await call('PUT', '/log-level?level=silent');
    expect(missing.status).toBe(401);
    expect(missing.type).toBe('application/problem+json');
    expect(missing.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(JSON.parse(missing.body)).toMatchObject({
      title: 'Unauthorized',
      status: 401,
      code: 'KENOS_ERR_LIFECYCLE_ADMIN_UNAUTHORIZED',
    });
    for (const authorization of [
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.slice(0, -1)}`,
      'Bearer ',
      `Basic ${TOKEN}`,
      TOKEN,
    ]) {
      const wrong = await call('PUT', '/log-level?level=silent', {
        authorization,
      });
      expect(wrong.status).toBe(401);
      expect(wrong.headers['www-authenticate']).toMatch(/^Bearer /);
    }
    expect(changes).toEqual([]);
  });

  it('calls a mutating route that presents the token as a bearer credential', async () => {
    const { call, changes } = await adminServer({ adminToken: TOKEN });
    expect(
      await call('PUT', '/log-level?level=debug', {
        authorization: `Bearer ${TOKEN}`,
      }),
    ).toMatchObject({ status: 200, body: 'changed' });
    expect(
      (
        await call('PUT', '/log-level?level=info', {
          authorization: `bearer ${TOKEN}`,
        })
      ).status,
    ).toBe(200);
    expect(changes).toEqual([
      '/log-level?level=debug',
      '/log-level?level=info',
    ]);
  });

  it('calls a mutating route without a credential when the mode is open', async () => {
    const { call, changes } = await adminServer({
      adminMutatingRoutes: 'open',
    });
    expect((await call('PUT', '/log-level?level=debug')).status).toBe(200);
    expect(changes).toEqual(['/log-level?level=debug']);
  });

  it('rejects a token mode without a token, and a token with another mode, at creation', () => {
    const invalid = (text: RegExp) =>
      expect.objectContaining({
        code: 'KENOS_ERR_LIFECYCLE_INVALID_OPTIONS',
        message: expect.stringMatching(text),
      });
    expect(() => createLifecycle({ adminMutatingRoutes: 'token' })).toThrow(
      invalid(/adminToken is empty/),
    );
    expect(() =>
      createLifecycle({ adminMutatingRoutes: 'open', adminToken: TOKEN }),
    ).toThrow(invalid(/adminToken is set/));
  });
});

describe('AdminServer: error answers', () => {
  it('answers 404, 405 and 500 as problem+json with a stable code each', async () => {
    const { call } = await adminServer({ adminMutatingRoutes: 'open' });
    const cases: [string, string, number, string, string | undefined][] = [
      ['GET', '/nope', 404, 'KENOS_ERR_LIFECYCLE_ADMIN_NOT_FOUND', undefined],
      [
        'POST',
        '/ready',
        405,
        'KENOS_ERR_LIFECYCLE_ADMIN_METHOD_NOT_ALLOWED',
        'GET, HEAD',
      ],
      [
        'DELETE',
        '/log-level',
        405,
        'KENOS_ERR_LIFECYCLE_ADMIN_METHOD_NOT_ALLOWED',
        'GET, PUT',
      ],
      [
        'POST',
        '/boom',
        500,
        'KENOS_ERR_LIFECYCLE_ADMIN_ROUTE_FAILED',
        undefined,
      ],
    ];
    for (const [method, path, status, code, allow] of cases) {
      const answer = await call(method, path);
      expect(answer.status).toBe(status);
      expect(answer.type).toBe('application/problem+json');
      expect(answer.headers['allow']).toBe(allow);
      const body = JSON.parse(answer.body) as Record<string, unknown>;
      expect(body).toMatchObject({ type: 'about:blank', status, code });
      expect(typeof body['title']).toBe('string');
      expect(typeof body['detail']).toBe('string');
    }
  });

  it('answers an unknown path with 404 before any access check, even for a mutating method', async () => {
    const { call } = await adminServer();
    expect((await call('PUT', '/nope')).status).toBe(404);
  });
});
