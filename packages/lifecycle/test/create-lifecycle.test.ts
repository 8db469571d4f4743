import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createLifecycle } from '../src/create-lifecycle.js';
import { LifecycleError } from '../src/lifecycle-error.js';
import { createFallbackLogger } from '../src/logger.js';
import type { LifecycleOptions } from '../src/options.js';
import type {
  Lifecycle,
  LifecycleEvent,
  LifecycleState,
} from '../src/types.js';

const sleep = (ms: number): Promise<void> =>
  new Promise((r) => setTimeout(r, ms));
const started: Lifecycle[] = [];

function make(extra: LifecycleOptions = {}) {
  const exits: number[] = [];
  const logs: Record<string, unknown>[] = [];
  const events: LifecycleEvent[] = [];
  const lifecycle = createLifecycle({
    adminPort: 0,
    adminHost: '127.0.0.1',
    handleSignals: false,
    handleCrashes: false,
    shutdownDelayMs: 0,
    checkIntervalMs: 20,
    logger: createFallbackLogger({}, (line) =>
      logs.push(JSON.parse(line) as Record<string, unknown>),
    ),
    exit: (code) => exits.push(code),
    onEvent: (e) => events.push(e),
    ...extra,
  });
  started.push(lifecycle);
  return { lifecycle, exits, logs, events };
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((l) => l.shutdown('test over')));
});

async function waitForState(
  l: Lifecycle,
  state: LifecycleState,
): Promise<void> {
  for (let i = 0; i < 200 && l.state !== state; i++) await sleep(10);
  expect(l.state).toBe(state);
}

function http(
  port: number,
  method: string,
  path: string,
): Promise<{ status: number; body: string; allow?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c));
        res.on('end', () => {
          const allow = res.headers.allow;
          resolve({
            status: res.statusCode ?? 0,
            body,
            ...(allow === undefined ? {} : { allow }),
          });
        });
      },
    );
    req.on('error', reject).end();
  });
}

describe('createLifecycle: state machine', () => {
  it('stays starting until signalReady and the first pass of every critical check, then becomes ready', async () => {
    const { lifecycle } = make();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    lifecycle.registerHealthCheck({ name: 'db', check: () => gate });
    await lifecycle.start();
    expect(lifecycle.state).toBe('starting');
    lifecycle.signalReady();
    expect(lifecycle.state).toBe('starting');
    expect(lifecycle.isReady()).toBe(false);
    release();
    await waitForState(lifecycle, 'ready');
    expect(lifecycle.isReady()).toBe(true);
  });

  it('moves ready ⇄ degraded with a critical check and ignores a failing non-critical one', async () => {
    const { lifecycle, events } = make();
    let up = true;
    lifecycle.registerHealthCheck({
      name: 'db',
      check: async () => {
        if (!up) throw new Error('down');
      },
    });
    lifecycle.registerHealthCheck({
      name: 'cache',
      critical: false,
      check: () => Promise.reject(new Error('nope')),
    });
    const seen: string[] = [];
    lifecycle.onStateChange((state, previous) =>
      seen.push(`${previous}->${state}`),
    );
    await lifecycle.start();
    lifecycle.signalReady();
    await waitForState(lifecycle, 'ready');
    up = false;
    await waitForState(lifecycle, 'degraded');
    up = true;
    await waitForState(lifecycle, 'ready');
    expect(seen).toEqual([
      'starting->ready',
      'ready->degraded',
      'degraded->ready',
    ]);
    const check = events.find(
      (e) => e.type === 'check' && e.name === 'db' && e.status === 'fail',
    );
    expect(check).toMatchObject({
      type: 'check',
      critical: true,
      status: 'fail',
    });
  });

  it('fails a check that exceeds its own timeout and aborts its signal', async () => {
    const { lifecycle } = make();
    let aborted = false;
    lifecycle.registerHealthCheck({
      name: 'slow',
      timeoutMs: 30,
      intervalMs: 10_000,
      check: (signal) =>
        new Promise((resolve) => {
          signal.addEventListener('abort', () => {
            aborted = true;
            resolve(undefined);
          });
        }),
    });
    await lifecycle.start();
    lifecycle.signalReady();
    await waitForState(lifecycle, 'degraded');
    expect(aborted).toBe(true);
    expect(lifecycle.snapshot().checks[0]).toMatchObject({
      name: 'slow',
      status: 'fail',
      lastError: 'health check "slow" did not finish within 30 ms',
    });
  });

  it('never runs two evaluations of one check at once, even when it is slower than its interval', async () => {
    const { lifecycle } = make();
    let active = 0;
    let maxActive = 0;
    let calls = 0;
    lifecycle.registerHealthCheck({
      name: 'slow-db',
      intervalMs: 1,
      check: async () => {
        calls += 1;
        active += 1;
        maxActive = Math.max(maxActive, active);
        await sleep(40);
        active -= 1;
      },
    });
    await lifecycle.start();
    await sleep(200);
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(maxActive).toBe(1);
  });

  it('rejects a second health check with the same name', () => {
    const { lifecycle } = make();
    lifecycle.registerHealthCheck({ name: 'db', check: async () => undefined });
    expect(() =>
      lifecycle.registerHealthCheck({
        name: 'db',
        check: async () => undefined,
      }),
    ).toThrow(
      expect.objectContaining({ code: 'KENOS_ERR_LIFECYCLE_DUPLICATE_NAME' }),
    );
  });
});

describe('createLifecycle: shutdown', () => {
  it('runs the sequence once: a second shutdown call returns the same promise and exit is called once', async () => {
    const { lifecycle, exits } = make();
    await lifecycle.start();
    lifecycle.signalReady();
    const first = lifecycle.shutdown('deploy');
    expect(lifecycle.state).toBe('shutting_down');
    expect(lifecycle.isReady()).toBe(false);
    const second = lifecycle.shutdown('again', 3);
    expect(second).toBe(first);
    await first;
    expect(exits).toEqual([0]);
    expect(lifecycle.state).toBe('stopped');
  });

  it('throws KENOS_ERR_LIFECYCLE_PHASE_STARTED when something is registered after its phase began', async () => {
    const { lifecycle } = make();
    let inHook: unknown;
    lifecycle.registerShutdownHook({
      name: 'late',
      run: () => {
        try {
          lifecycle.registerDrainer({
            name: 'too-late',
            drain: async () => undefined,
          });
        } catch (err) {
          inHook = err;
        }
        lifecycle.registerFlusher({
          name: 'still-fine',
          flush: () => undefined,
        });
      },
    });
    await lifecycle.start();
    const done = lifecycle.shutdown('test');
    expect(() =>
      lifecycle.registerHealthCheck({
        name: 'x',
        check: async () => undefined,
      }),
    ).toThrow(LifecycleError);
    expect(() => lifecycle.adminRoute('GET', '/late', () => undefined)).toThrow(
      expect.objectContaining({ code: 'KENOS_ERR_LIFECYCLE_PHASE_STARTED' }),
    );
    await done;
    expect(inHook).toBeInstanceOf(LifecycleError);
    expect((inHook as LifecycleError).code).toBe(
      'KENOS_ERR_LIFECYCLE_PHASE_STARTED',
    );
    expect((inHook as LifecycleError).message).toContain(
      'cannot register drainer "too-late"',
    );
    expect(() => lifecycle.beacon('job')).toThrow(
      expect.objectContaining({ code: 'KENOS_ERR_LIFECYCLE_PHASE_STARTED' }),
    );
  });

  it('waits the delay only when the process was ready, then drains, runs hooks in reverse and flushes', async () => {
    const order: string[] = [];
    const { lifecycle, events } = make({ shutdownDelayMs: 150 });
    lifecycle.registerDrainer({
      name: 'http',
      drain: async () => void order.push('drain:http'),
    });
    lifecycle.registerShutdownHook({
      name: 'a',
      run: () => void order.push('hook:a'),
    });
    lifecycle.registerShutdownHook({
      name: 'b',
      run: () => void order.push('hook:b'),
    });
    lifecycle.registerFlusher({
      name: 'logs',
      flush: () => void order.push('flush:logs'),
    });
    await lifecycle.start();
    lifecycle.signalReady();
    await waitForState(lifecycle, 'ready');
    const t0 = performance.now();
    await lifecycle.shutdown('deploy');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
    expect(order).toEqual(['drain:http', 'hook:b', 'hook:a', 'flush:logs']);
    const phases = events.flatMap((e) => (e.type === 'phase' ? [e.phase] : []));
    expect(phases).toEqual(['delay', 'drain', 'hooks', 'flush', 'exit']);
    const shutdown = events.find((e) => e.type === 'shutdown');
    expect(shutdown).toMatchObject({ reason: 'deploy', exitCode: 0 });
    expect(
      events
        .filter((e) => e.type === 'task')
        .map((e) => e.type === 'task' && `${e.kind}:${e.name}:${e.outcome}`),
    ).toEqual(['drainer:http:ok', 'hook:b:ok', 'hook:a:ok', 'flusher:logs:ok']);
  });

  it('waits for a beacon created while a drainer was still draining', async () => {
    const order: string[] = [];
    const { lifecycle, exits } = make();
    lifecycle.registerDrainer({
      name: 'consumer',
      drain: async () => {
        const job = lifecycle.beacon('job-9');
        setTimeout(() => {
          order.push('job:done');
          job.release();
        }, 50);
        order.push('drained');
      },
    });
    lifecycle.registerShutdownHook({
      name: 'broker',
      run: () => void order.push('hook'),
    });
    await lifecycle.start();
    await lifecycle.shutdown('deploy');
    expect(order).toEqual(['drained', 'job:done', 'hook']);
    expect(exits).toEqual([0]);
  });

  it('refuses to start once a shutdown began', async () => {
    const { lifecycle, exits } = make();
    await lifecycle.shutdown('config invalid', 78);
    expect(exits).toEqual([78]);
    await expect(lifecycle.start()).rejects.toMatchObject({
      code: 'KENOS_ERR_LIFECYCLE_PHASE_STARTED',
    });
  });

  it('skips the delay when the process never became ready', async () => {
    const { lifecycle, exits } = make({ shutdownDelayMs: 5000 });
    await lifecycle.start();
    const t0 = performance.now();
    await lifecycle.shutdown('startup failed', 1);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(exits).toEqual([1]);
  });

  it('aborts the drainers at drainTimeoutMs and moves on to the hooks', async () => {
    const order: string[] = [];
    const { lifecycle, exits } = make({
      drainTimeoutMs: 50,
      shutdownTimeoutMs: 5000,
    });
    lifecycle.registerDrainer({
      name: 'grpc',
      drain: (signal) =>
        new Promise<void>(() => {
          signal.addEventListener('abort', () => order.push('aborted'));
        }),
    });
    lifecycle.registerShutdownHook({
      name: 'db',
      run: () => void order.push('hook:db'),
    });
    await lifecycle.start();
    await lifecycle.shutdown('deploy');
    expect(order).toEqual(['aborted', 'hook:db']);
    expect(exits).toEqual([0]);
  });

  it('raises the exit code to the failure code when fail() is called during a shutdown', async () => {
    const { lifecycle, exits, logs } = make();
    lifecycle.registerShutdownHook({
      name: 'crashy',
      run: () => {
        void lifecycle.fail(new Error('late crash'));
      },
    });
    await lifecycle.start();
    await lifecycle.shutdown('deploy');
    expect(exits).toEqual([1]);
    expect(logs.find((l) => l['level'] === 'fatal')?.['msg']).toBe(
      'fatal error: late crash',
    );
  });
});

describe('createLifecycle: admin server', () => {
  it('serves /live, /ready and /health and mounted routes on an ephemeral port', async () => {
    const { lifecycle } = make({ adminMutatingRoutes: 'open' });
    lifecycle.adminRoute('GET', '/metrics', (_req, res) =>
      res.end('kenos_up 1\n'),
    );
    lifecycle.adminRoute('put', '/log-level', async (_req, res) => {
      await sleep(1);
      res.end('ok');
    });
    lifecycle.adminRoute('GET', '/boom', () => {
      throw new Error('handler bug');
    });
    const port = await lifecycle.start();
    expect(port).toBeGreaterThan(0);
    expect(lifecycle.adminPort).toBe(port);
    expect(await lifecycle.start()).toBe(port);
    expect(await http(port, 'GET', '/live')).toEqual({
      status: 200,
      body: 'live\n',
    });
    expect(await http(port, 'GET', '/ready')).toEqual({
      status: 500,
      body: 'starting\n',
    });
    lifecycle.signalReady();
    expect(await http(port, 'GET', '/ready?verbose=1')).toEqual({
      status: 200,
      body: 'ready\n',
    });
    expect((await http(port, 'HEAD', '/ready')).body).toBe('');
    const health = await http(port, 'GET', '/health');
    expect(JSON.parse(health.body)).toEqual({
      state: 'ready',
      ready: true,
      checks: [],
      beacons: [],
      shutdown: null,
    });
    expect(await http(port, 'GET', '/metrics')).toEqual({
      status: 200,
      body: 'kenos_up 1\n',
    });
    expect(await http(port, 'PUT', '/log-level')).toEqual({
      status: 200,
      body: 'ok',
    });
    expect(await http(port, 'GET', '/log-level')).toMatchObject({
      status: 405,
      allow: 'PUT',
    });
    expect(await http(port, 'POST', '/ready')).toMatchObject({
      status: 405,
      allow: 'GET, HEAD',
    });
    expect((await http(port, 'GET', '/nope')).status).toBe(404);
    expect((await http(port, 'GET', '/boom')).status).toBe(500);
    expect(() =>
      lifecycle.adminRoute('GET', '/metrics', () => undefined),
    ).toThrow(
      expect.objectContaining({ code: 'KENOS_ERR_LIFECYCLE_DUPLICATE_NAME' }),
    );
    expect(() =>
      lifecycle.adminRoute('GET', '/ready', () => undefined),
    ).toThrow(
      expect.objectContaining({ code: 'KENOS_ERR_LIFECYCLE_DUPLICATE_NAME' }),
    );
  });

  it('keeps answering probes during the drain and closes only at exit', async () => {
    const { lifecycle } = make();
    let release: () => void = () => undefined;
    lifecycle.registerDrainer({
      name: 'http',
      drain: () => new Promise<void>((r) => (release = r)),
    });
    await lifecycle.start();
    lifecycle.signalReady();
    const port = lifecycle.adminPort ?? 0;
    const done = lifecycle.shutdown('deploy');
    await sleep(20);
    expect(await http(port, 'GET', '/live')).toEqual({
      status: 200,
      body: 'live\n',
    });
    expect(await http(port, 'GET', '/ready')).toEqual({
      status: 500,
      body: 'shutting_down\n',
    });
    release();
    await done;
    await expect(http(port, 'GET', '/live')).rejects.toThrow(/ECONNREFUSED/);
  });
});
