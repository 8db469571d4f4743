import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnService, startService, stopAllServices } from '@kenos/testing';

const fixture = fileURLToPath(
  new URL('./fixtures/service.mjs', import.meta.url),
);
afterAll(() => stopAllServices());

describe('workers', () => {
  it('finishes the in-flight job when SIGTERMed mid-job, takes no new one, and exits 0', async () => {
    const svc = await startService(fixture, 'worker:jobs', {
      env: { FIXTURE_JOBS: '3', FIXTURE_JOB_MS: '1500' },
      readyTimeoutMs: 30_000,
    });
    await svc.waitForLine((l) => l.msg === 'working' && l['n'] === 1);
    svc.kill('SIGTERM');
    const { code } = await svc.exited;
    expect(code).toBe(0);
    expect(svc.lines.some((l) => l.msg === 'worked' && l['n'] === 1)).toBe(
      true,
    );
    expect(
      svc.lines.some(
        (l) => l.msg === 'job completed' && typeof l['job_id'] === 'string',
      ),
    ).toBe(true);
    expect(svc.lines.some((l) => l.msg === 'working' && l['n'] === 2)).toBe(
      false,
    );
  });

  it('runs at most `concurrency` jobs at once', async () => {
    const svc = await startService(fixture, 'worker:jobs', {
      env: {
        FIXTURE_JOBS: '5',
        FIXTURE_JOB_MS: '300',
        FIXTURE_CONCURRENCY: '2',
      },
      readyTimeoutMs: 30_000,
    });
    await svc.waitForLine((l) => l.msg === 'worked' && l['n'] === 5);
    svc.kill('SIGTERM');
    expect((await svc.exited).code).toBe(0);
    let running = 0;
    let peak = 0;
    for (const l of svc.lines) {
      if (l.msg === 'working') peak = Math.max(peak, ++running);
      if (l.msg === 'worked') running--;
    }
    expect(peak).toBe(2);
  });

  it('aborts the in-flight job through its AbortSignal at the shutdown deadline and exits 1', async () => {
    const svc = await startService(fixture, 'worker:jobs', {
      env: {
        FIXTURE_JOBS: '1',
        FIXTURE_JOB_MS: '20000',
        SHUTDOWN_TIMEOUT_MS: '800',
      },
      readyTimeoutMs: 30_000,
    });
    await svc.waitForLine((l) => l.msg === 'working');
    svc.kill('SIGTERM');
    const { code } = await svc.exited;
    expect(code).toBe(1);
    const failed = svc.lines.find((l) => l.msg === 'job failed');
    expect(failed?.['outcome']).toBe('cancelled');
  });
});

describe('batches', () => {
  it('exits 0 when the batch succeeds', async () => {
    const svc = spawnService(fixture, 'batch:ok');
    expect((await svc.exited).code).toBe(0);
    expect(
      svc.lines.some(
        (l) => l.msg === 'report done' && l['component'] === 'batch:ok',
      ),
    ).toBe(true);
  });

  it('exits 1 when the batch fails, logging the error', async () => {
    const svc = spawnService(fixture, 'batch:fail');
    expect((await svc.exited).code).toBe(1);
    expect(svc.lines.some((l) => l.msg === 'batch failed')).toBe(true);
  });

  it('exits 78 on invalid config', async () => {
    const svc = spawnService(fixture, 'batch:ok', {
      env: { SHUTDOWN_TIMEOUT_MS: 'soon' },
    });
    expect((await svc.exited).code).toBe(78);
  });

  it('aborts the batch through its AbortSignal on SIGTERM and exits non-zero', async () => {
    const svc = spawnService(fixture, 'batch:slow');
    await svc.waitForLine((l) => l.msg === 'slow batch working');
    svc.kill('SIGTERM');
    expect((await svc.exited).code).toBe(1);
    expect(
      svc.lines.some((l) => l.msg === 'batch aborted before it finished'),
    ).toBe(true);
  });
});
