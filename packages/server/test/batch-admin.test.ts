import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type ServiceProcess,
  spawnService,
  stopAllServices,
} from '@kenos/testing';

const fixture = fileURLToPath(
  new URL('./fixtures/service.mjs', import.meta.url),
);
afterAll(() => stopAllServices());

const LINGER_LINE = (l: { msg?: string }): boolean =>
  l.msg?.startsWith('batch finished; serving /metrics') === true;

async function adminPortOf(svc: ServiceProcess): Promise<number> {
  const ready = await svc.waitForLine((l) => l.msg === 'service ready');
  return (ready['ports'] as { admin: number }).admin;
}

/** The value of the first sample of `metric` whose labels include every `labels` pair, or undefined. */
function sample(
  text: string,
  metric: string,
  labels: Record<string, string>,
): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}{`)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)))
      return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('the admin server of a batch', () => {
  it('serves /live and the final job metrics for batch.metricsLingerMs after the run, then exits 0', async () => {
    const svc = spawnService(fixture, 'batch:ok', {
      env: { BATCH_METRICS_LINGER_MS: '2500' },
    });
    const port = await adminPortOf(svc);
    const finished = await svc.waitForLine(LINGER_LINE);
    expect(finished).toMatchObject({ linger_ms: 2500, exit_code: 0 });
    expect((await fetch(`http://127.0.0.1:${port}/live`)).status).toBe(200);
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const batch = { job_kind: 'batch', job_name: 'ok' };
    const lastSuccess = sample(
      text,
      'kenos_job_last_success_timestamp_seconds',
      batch,
    );
    expect(lastSuccess).toBeGreaterThan(Date.now() / 1000 - 60);
    expect(
      sample(text, 'kenos_jobs_finished_total', {
        ...batch,
        job_result: 'success',
      }),
    ).toBe(1);
    expect(sample(text, 'kenos_jobs_in_flight', batch)).toBe(0);
    const { code, at } = await svc.exited;
    expect(code).toBe(0);
    // the linger is a lower bound: the process stayed up at least that long after the run
    expect(at - Date.parse(String(finished['time']))).toBeGreaterThanOrEqual(
      2400,
    );
    await expect(fetch(`http://127.0.0.1:${port}/live`)).rejects.toThrow();
  });

  it('ends the linger at once on SIGTERM and keeps the exit code of the batch', async () => {
    const ok = spawnService(fixture, 'batch:ok', {
      env: { BATCH_METRICS_LINGER_MS: '60000' },
    });
    const failing = spawnService(fixture, 'batch:fail', {
      env: { BATCH_METRICS_LINGER_MS: '60000' },
    });
    const failingPort = await adminPortOf(failing);
    await Promise.all([
      ok.waitForLine(LINGER_LINE),
      failing.waitForLine(LINGER_LINE),
    ]);
    const text = await (
      await fetch(`http://127.0.0.1:${failingPort}/metrics`)
    ).text();
    expect(
      sample(text, 'kenos_jobs_finished_total', {
        job_kind: 'batch',
        job_name: 'fail',
        job_result: 'failure',
      }),
    ).toBe(1);
    const signalled = Date.now();
    ok.kill('SIGTERM');
    failing.kill('SIGTERM');
    const [okExit, failingExit] = await Promise.all([
      ok.exited,
      failing.exited,
    ]);
    expect(okExit.code).toBe(0);
    expect(failingExit.code).toBe(1);
    // far below the 60 s linger
    expect(Math.max(okExit.at, failingExit.at) - signalled).toBeLessThan(
      15_000,
    );
    expect(
      ok.lines.some(
        (l) => l.msg === 'signal received; ending the metrics linger',
      ),
    ).toBe(true);
  });

  it('skips the linger when a signal aborted the batch, exiting 1', async () => {
    const svc = spawnService(fixture, 'batch:slow', {
      env: { BATCH_METRICS_LINGER_MS: '60000' },
    });
    await svc.waitForLine((l) => l.msg === 'slow batch working');
    svc.kill('SIGTERM');
    expect((await svc.exited).code).toBe(1);
    expect(svc.lines.some(LINGER_LINE)).toBe(false);
    expect(
      svc.lines.some((l) => l.msg === 'batch aborted before it finished'),
    ).toBe(true);
  });

  it('does not linger by default off Kubernetes, yet reports its admin port', async () => {
    const svc = spawnService(fixture, 'batch:ok', {
      env: { KUBERNETES_SERVICE_HOST: '' },
    });
    expect(await adminPortOf(svc)).toBeGreaterThan(0);
    expect((await svc.exited).code).toBe(0);
    expect(svc.lines.some(LINGER_LINE)).toBe(false);
  });

  it('exits 1 before running the batch when the admin port is in use, naming ADMIN_PORT', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '0.0.0.0', r));
    const taken = (blocker.address() as { port: number }).port;
    try {
      const svc = spawnService(fixture, 'batch:ok', {
        env: { ADMIN_PORT: String(taken) },
      });
      expect((await svc.exited).code).toBe(1);
      const fatal = svc.lines.find((l) => l.level === 'fatal');
      expect(fatal).toMatchObject({
        code: 'KENOS_ERR_SERVER_START',
        msg: `admin port ${taken} (ADMIN_PORT) is already in use`,
      });
      expect(svc.lines.some((l) => l.msg === 'batch started')).toBe(false);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });
});
