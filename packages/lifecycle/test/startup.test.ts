import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { killFixtures, spawnFixture } from './helpers.js';

afterEach(killFixtures);

describe('startup failures (real child processes)', () => {
  it('ends the process with exit 1 when startup does not finish before the startup deadline, after flushing', async () => {
    const app = spawnFixture('startup', { MODE: 'timeout' });
    const exit = await app.exited;
    expect(exit.code).toBe(1);
    const fatal = app.logs().find((r) => r['level'] === 'fatal') as {
      msg: string;
      err: { code: string };
    };
    expect(fatal.err.code).toBe('KENOS_ERR_LIFECYCLE_STARTUP_TIMEOUT');
    expect(fatal.msg).toContain('startup did not finish within 300 ms');
    expect(app.markers.map((m) => m.event)).toEqual(['flushed']);
  });

  it('exits with the caller’s code (78) after flushing when the app reports a startup error', async () => {
    const app = spawnFixture('startup', { MODE: 'fail' });
    const exit = await app.exited;
    expect(exit.code).toBe(78);
    const fatal = app.logs().find((r) => r['level'] === 'fatal') as {
      msg: string;
    };
    expect(fatal.msg).toBe(
      'fatal error: config is invalid: http.port must be a port',
    );
    expect(app.markers.map((m) => m.event)).toEqual(['flushed']);
  });

  it('exits 1 with KENOS_ERR_LIFECYCLE_ADMIN_LISTEN when the admin port is in use', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      const app = spawnFixture('startup', {
        MODE: 'port-in-use',
        BUSY_PORT: String(port),
      });
      const exit = await app.exited;
      expect(exit.code).toBe(1);
      const fatal = app.logs().find((r) => r['level'] === 'fatal') as {
        msg: string;
        err: { code: string };
      };
      expect(fatal.err.code).toBe('KENOS_ERR_LIFECYCLE_ADMIN_LISTEN');
      expect(fatal.msg).toContain(
        `cannot listen on 127.0.0.1:${port} (listen EADDRINUSE`,
      );
    } finally {
      busy.close();
    }
  });
});
