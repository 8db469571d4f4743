// No greeting job is lost when workers are stopped, killed and restarted, or when Redis goes away
// and comes back. Real processes (api, two worker:greetings) on a real redis-server; a platform
// test of this repository (not copied into generated services: it needs redis-server on PATH).
// The queue keeps its default settings: a job of a SIGKILLed worker is redelivered once its lock
// expired and a stalled-job check ran, within lockDurationMs + stalledIntervalMs = 15 + 5 s.
import { fileURLToPath } from 'node:url';
import {
  startService,
  stopAllServices,
  type ServiceProcess,
} from '@kenos/testing';
import { startRedis, type RedisServer } from '@kenos/testing/redis';
import { afterAll, describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const JOBS = 300;

const redisServers: RedisServer[] = [];
afterAll(async () => {
  await stopAllServices();
  for (const redis of redisServers) await redis.stop();
}, 30_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(
  what: string,
  predicate: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** Every job id of the processes' "job completed" lines, with how often each was completed. */
function completions(processes: ServiceProcess[]): Map<string, number> {
  const seen = new Map<string, number>();
  for (const p of processes)
    for (const l of p.lines)
      if (l.msg === 'job completed')
        seen.set(String(l['job_id']), (seen.get(String(l['job_id'])) ?? 0) + 1);
  return seen;
}

/** Posts `count` greeting jobs, 10 at a time; returns the accepted ids and the other statuses. */
async function postJobs(
  api: ServiceProcess,
  count: number,
): Promise<{ ids: string[]; statuses: number[] }> {
  const ids: string[] = [];
  const statuses: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (next < count) {
        const n = next++;
        const res = await fetch(api.url('/v1/greeting-jobs'), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: `guest-${n}` }),
        });
        if (res.status === 202)
          ids.push(((await res.json()) as { id: string }).id);
        else statuses.push(res.status);
      }
    }),
  );
  return { ids, statuses };
}

const readyStatus = async (p: ServiceProcess): Promise<number> =>
  (await fetch(p.adminUrl('/ready')).catch(() => undefined))?.status ?? 0;

describe('greeting jobs under chaos', () => {
  it('completes every accepted job while a worker is SIGTERMed and another SIGKILLed mid-job', async () => {
    const redis = await startRedis();
    redisServers.push(redis);
    const env = {
      REDIS_URL: redis.url,
      GREETER_WORKER_CONCURRENCY: '2',
      GREETER_WORKER_JOB_DURATION_MS: '150',
    };
    const worker = () => startService(main, 'worker:greetings', { env });
    const [api, w1, w2] = await Promise.all([
      startService(main, 'api', { env }),
      worker(),
      worker(),
    ]);
    const workers = [w1, w2];
    const { ids, statuses } = await postJobs(api, JOBS);
    expect(statuses).toEqual([]);
    expect(new Set(ids).size).toBe(JOBS);
    const done = () => completions(workers).size;

    // SIGTERM: the worker finishes its in-flight jobs, hands back what it holds, exits 0
    await until('60 jobs completed', () => done() >= 60, 30_000);
    expect((await w1.stop('SIGTERM')).code).toBe(0);
    workers.push(await worker());

    // SIGKILL right after it started a job: that job is redelivered once its lock expired
    await until('150 jobs completed', () => done() >= 150, 30_000);
    const startedBefore = w2.lines.filter(
      (l) => l.msg === 'job started',
    ).length;
    await until(
      'a job started on the worker to kill',
      () =>
        w2.lines.filter((l) => l.msg === 'job started').length > startedBefore,
      10_000,
    );
    const killedAt = Date.now();
    w2.kill('SIGKILL');
    expect((await w2.exited).signal).toBe('SIGKILL');
    const startedOnKilled = new Set(
      w2.lines.filter((l) => l.msg === 'job started').map((l) => l['job_id']),
    );
    const inFlightAtKill = [...startedOnKilled].filter(
      (id) => !completions([w2]).has(String(id)),
    );
    expect(inFlightAtKill.length).toBeGreaterThan(0);
    workers.push(await worker());

    await until(
      `all ${JOBS} jobs completed`,
      () => ids.every((id) => completions(workers).has(id)),
      40_000,
    );
    const seen = completions(workers);
    const duplicates = [...seen].filter(([, n]) => n > 1).map(([id]) => id);
    // when the jobs in flight on the killed worker completed elsewhere: the redelivery time
    const redeliveredMs = workers
      .flatMap((p) => p.lines)
      .filter(
        (l) =>
          l.msg === 'job completed' && inFlightAtKill.includes(l['job_id']),
      )
      .map((l) => Date.parse(String(l['time'])) - killedAt);
    console.log(
      `queue chaos: ${JOBS} accepted, ${seen.size} completed, ${duplicates.length} completed twice; ` +
        `${inFlightAtKill.length} in flight on the SIGKILLed worker, completed elsewhere ` +
        `${Math.max(...redeliveredMs)} ms after the kill`,
    );
    // within lockDurationMs + stalledIntervalMs (15 + 5 s) and the 150 ms job, with 2 s of margin
    expect(Math.max(...redeliveredMs)).toBeLessThan(22_000);
    expect(seen.size).toBe(JOBS);
    // at least once: a job completes twice only when the SIGKILL cut its acknowledgement
    for (const id of duplicates) expect(startedOnKilled).toContain(id);
    for (const p of [api, ...workers.slice(2)])
      expect((await p.stop('SIGTERM')).code).toBe(0);
  }, 90_000);

  it('keeps every process up while Redis is down and completes every accepted job after', async () => {
    const redis = await startRedis({ persistent: true });
    redisServers.push(redis);
    const env = {
      REDIS_URL: redis.url,
      GREETER_WORKER_CONCURRENCY: '2',
      GREETER_WORKER_JOB_DURATION_MS: '100',
    };
    const [api, worker] = await Promise.all([
      startService(main, 'api', { env }),
      startService(main, 'worker:greetings', { env }),
    ]);
    const first = await postJobs(api, 100);
    expect(first.statuses).toEqual([]);
    await until(
      '20 jobs completed',
      () => completions([worker]).size >= 20,
      20_000,
    );

    await redis.kill();
    await until(
      'the worker not ready',
      async () => (await readyStatus(worker)) === 500,
      20_000,
    );
    const during = await fetch(api.url('/v1/greeting-jobs'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":"Ada"}',
    });
    expect(during.status).toBe(503);
    expect(during.headers.get('content-type')).toMatch(
      /^application\/problem\+json/,
    );
    expect(await during.json()).toMatchObject({
      status: 503,
      code: 'KENOS_ERR_SERVER_UNAVAILABLE',
    });

    await redis.restart();
    await until(
      'the worker ready again',
      async () => (await readyStatus(worker)) === 200,
      20_000,
    );
    const second = await postJobs(api, 20);
    expect(second.statuses).toEqual([]);
    const ids = [...first.ids, ...second.ids];
    await until(
      'every accepted job completed',
      () => ids.every((id) => completions([worker]).has(id)),
      40_000,
    );
    expect(api.exitInfo).toBeUndefined();
    expect(worker.exitInfo).toBeUndefined();
    expect((await worker.stop('SIGTERM')).code).toBe(0);
    expect((await api.stop('SIGTERM')).code).toBe(0);
  }, 90_000);
});
