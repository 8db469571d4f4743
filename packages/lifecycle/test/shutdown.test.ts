import { afterEach, describe, expect, it } from 'vitest';
import { get, killFixtures, sleep, spawnFixture } from './helpers.js';

afterEach(killFixtures);

const eventsOf = (markers: { event: string }[]): string[] =>
  markers.map((m) => m.event);

describe('shutdown on SIGTERM (real child processes)', () => {
  it('turns readiness false before the listeners close, answers probes throughout the drain and loses no request', async () => {
    const app = spawnFixture('http-app', { DELAY_MS: '2000', SLOW_MS: '3500' });
    const { adminPort, httpPort } = (await app.waitFor('ready')) as unknown as {
      adminPort: number;
      httpPort: number;
    };
    expect((await get(adminPort, '/ready')).status).toBe(200);
    const inFlight = get(httpPort, '/slow');
    await sleep(100);
    const sentAt = performance.now();
    app.child.kill('SIGTERM');

    // readiness is false at once, while the app listener still accepts new requests
    await app.waitForLog(
      (r) => String(r['msg']).startsWith('shutdown started'),
      5000,
    );
    const ready = await get(adminPort, '/ready');
    expect(ready.status).toBe(500);
    expect(ready.body).toBe('shutting_down\n');
    expect((await get(httpPort, '/fast')).body).toBe('fast');
    expect(app.markers.some((m) => m.event === 'drain:start')).toBe(false);

    // after the delay the drain starts; readiness was already false when it did
    const drainStart = await app.waitFor('drain:start');
    expect(drainStart['ready']).toBe(false);
    expect(performance.now() - sentAt).toBeGreaterThanOrEqual(1900);
    // probes keep answering while the slow request is still in flight
    expect((await get(adminPort, '/live')).status).toBe(200);
    expect((await get(adminPort, '/ready')).status).toBe(500);
    const health = JSON.parse((await get(adminPort, '/health')).body) as {
      state: string;
      shutdown: { phase: string };
    };
    expect(health.state).toBe('shutting_down');
    expect(health.shutdown.phase).toBe('drain');
    await expect(get(httpPort, '/fast')).rejects.toThrow(/ECONNREFUSED/);

    expect(await inFlight).toEqual({ status: 200, body: 'slow done' });
    const exit = await app.exited;
    expect(exit.code).toBe(0);
    expect(eventsOf(app.markers)).toEqual([
      'ready',
      'drain:start',
      'drain:end',
    ]);
    expect(exit.at - sentAt).toBeLessThan(9000);
  });

  it('runs hooks in reverse registration order, cuts a hanging hook off at its timeout and still runs the rest', async () => {
    const app = spawnFixture('hooks');
    await app.waitFor('ready');
    const sentAt = performance.now();
    app.child.kill('SIGTERM');
    const exit = await app.exited;
    expect(exit.code).toBe(0);
    expect(eventsOf(app.markers)).toEqual([
      'ready',
      'hook:last',
      'hook:throws',
      'hook:hangs',
      'hook:first',
      'flush',
    ]);
    const elapsed = exit.at - sentAt;
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(4000);
    const messages = app.logs().map((r) => r['msg']);
    expect(messages).toContain('hook "hangs" timed out after 300 ms: skipped');
    expect(messages).toContain('hook "throws" failed: skipped');
    const failed = app.logs().find((r) => r['hook'] === 'throws') as {
      err: { message: string };
    };
    expect(failed.err.message).toBe('pool already closed');
  });

  it('exits 1 at the overall deadline with one line naming every drainer and beacon still running', async () => {
    const app = spawnFixture('stuck', { TIMEOUT_MS: '500' });
    await app.waitFor('ready');
    const sentAt = performance.now();
    app.child.kill('SIGTERM');
    const exit = await app.exited;
    expect(exit.code).toBe(1);
    expect(exit.at - sentAt).toBeGreaterThanOrEqual(400);
    expect(exit.at - sentAt).toBeLessThan(5000);
    const line = app
      .logs()
      .find(
        (r) =>
          (r['err'] as { code?: string } | undefined)?.code ===
          'KENOS_ERR_LIFECYCLE_SHUTDOWN_TIMEOUT',
      );
    expect(line?.['msg']).toBe(
      'shutdown did not finish within 500 ms; still running: drainer "stuck-queue", beacon "job-7"',
    );
    expect(eventsOf(app.markers)).not.toContain('hook:db');
  });

  it('exits 1 at once on a second SIGTERM, naming what was still running', async () => {
    const app = spawnFixture('stuck', { TIMEOUT_MS: '20000' });
    await app.waitFor('ready');
    app.child.kill('SIGTERM');
    await app.waitForLog(
      (r) => String(r['msg']).startsWith('shutdown started'),
      5000,
    );
    await sleep(100);
    const secondAt = performance.now();
    app.child.kill('SIGTERM');
    const exit = await app.exited;
    expect(exit.code).toBe(1);
    expect(exit.at - secondAt).toBeLessThan(3000);
    const forced = app
      .logs()
      .find(
        (r) =>
          (r['err'] as { code?: string } | undefined)?.code ===
          'KENOS_ERR_LIFECYCLE_FORCED_EXIT',
      );
    expect(forced?.['msg']).toContain(
      'second signal (SIGTERM) during shutdown: exiting 1 now',
    );
    expect(forced?.['msg']).toContain('drainer "stuck-queue"');
  });

  it('holds the drain phase while a beacon is live, then runs the hooks and exits 0', async () => {
    const app = spawnFixture('worker', { JOB_MS: '1200' });
    await app.waitFor('ready');
    app.child.kill('SIGTERM');
    const exit = await app.exited;
    expect(exit.code).toBe(0);
    expect(eventsOf(app.markers)).toEqual(['ready', 'job:done', 'hook:broker']);
    expect(app.logs().map((r) => r['msg'])).toContain(
      'drain held by 1 beacon(s): job-1',
    );
  });
});

describe('crash handling (real child processes)', () => {
  it('wraps a rejection with a non-Error reason in KENOS_ERR_LIFECYCLE_CRASH so it is logged with a stack', async () => {
    const app = spawnFixture('crash', { MODE: 'string' });
    const exit = await app.exited;
    expect(exit.code).toBe(1);
    const fatal = app.logs().find((r) => r['level'] === 'fatal') as {
      err: { code: string; message: string; stack: string };
    };
    expect(fatal.err.code).toBe('KENOS_ERR_LIFECYCLE_CRASH');
    expect(fatal.err.message).toContain('plain string reason');
    expect(fatal.err.stack).toContain('LifecycleError');
  });

  it.each([
    [
      'reject',
      'unhandled rejection: boom in async callback',
      'boom in async callback',
    ],
    [
      'throw',
      'uncaught exception: boom in a timer callback',
      'boom in a timer callback',
    ],
  ])(
    'logs a crash (%s) at fatal with its stack, shuts down gracefully and exits 1',
    async (mode, msg, message) => {
      const app = spawnFixture('crash', { MODE: mode });
      const exit = await app.exited;
      expect(exit.code).toBe(1);
      const fatal = app.logs().find((r) => r['level'] === 'fatal') as {
        msg: string;
        err: { message: string; stack: string };
      };
      expect(fatal.msg).toBe(msg);
      expect(fatal.err.message).toBe(message);
      expect(fatal.err.stack).toContain('crash.mjs');
      expect(eventsOf(app.markers)).toEqual(['ready', 'hook:db']);
    },
  );
});
