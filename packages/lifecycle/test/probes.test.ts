import { Agent, request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { get, killFixtures, sleep, spawnFixture } from './helpers.js';

afterEach(killFixtures);

async function until<T>(
  fn: () => Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs = 5000,
): Promise<T> {
  const end = performance.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || performance.now() > end) return v;
    await sleep(25);
  }
}

describe('probes and health checks (real child processes)', () => {
  it('fails readiness and never liveness while a critical check fails; a failing non-critical check changes nothing', async () => {
    const app = spawnFixture('checks', { INTERVAL_MS: '50' });
    const { adminPort } = (await app.waitFor('ready')) as unknown as {
      adminPort: number;
    };
    // cache (non-critical) fails from the start, yet the process is ready
    expect((await get(adminPort, '/ready')).status).toBe(200);
    expect((await get(adminPort, '/put-nothing')).status).toBe(404);

    await get(adminPort, '/db', 'PUT', 'down');
    const notReady = await until(
      () => get(adminPort, '/ready'),
      (r) => r.status === 500,
    );
    expect(notReady).toEqual({ status: 500, body: 'degraded\n' });
    expect((await get(adminPort, '/live')).status).toBe(200);
    const health = await get(adminPort, '/health');
    expect(health.status).toBe(500);
    const body = JSON.parse(health.body) as {
      state: string;
      checks: {
        name: string;
        status: string;
        critical: boolean;
        lastError: string | null;
        durationMs: number;
      }[];
    };
    expect(body.state).toBe('degraded');
    const db = body.checks.find((c) => c.name === 'db');
    expect(db).toMatchObject({
      status: 'fail',
      critical: true,
      lastError: 'db down',
    });
    expect(db?.durationMs).toBeGreaterThan(0);
    expect(body.checks.find((c) => c.name === 'cache')).toMatchObject({
      status: 'fail',
      critical: false,
      lastError: 'cache unreachable',
    });

    await get(adminPort, '/db', 'PUT', 'up');
    const back = await until(
      () => get(adminPort, '/ready'),
      (r) => r.status === 200,
    );
    expect(back).toEqual({ status: 200, body: 'ready\n' });
    app.child.kill('SIGTERM');
    expect((await app.exited).code).toBe(0);
  });

  it('answers 1,000 concurrent probe requests from the cache: each check is evaluated once, not 1,000 times', async () => {
    const app = spawnFixture('checks', { INTERVAL_MS: '60000' });
    const { adminPort } = (await app.waitFor('ready')) as unknown as {
      adminPort: number;
    };
    const agent = new Agent({ keepAlive: true, maxSockets: 100 });
    const probe = (path: string): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port: adminPort, path, agent },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end();
      });
    const statuses = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        probe(i % 2 === 0 ? '/ready' : '/health'),
      ),
    );
    agent.destroy();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1000);
    const counts = JSON.parse((await get(adminPort, '/count')).body) as {
      db: number;
      cache: number;
    };
    expect(counts).toEqual({ db: 1, cache: 1 });
    app.child.kill('SIGTERM');
    expect((await app.exited).code).toBe(0);
  });
});
