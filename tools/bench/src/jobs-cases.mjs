// The sides of the jobs suite, on one real redis-server (Debian's, from @kenos/testing/redis)
// shared by the sides of a case and pinned to core 1, the worker processes to core 0:
// - drain throughput: a queue filled while paused (bare BullMQ `addBulk`, the job options and
//   data Kenos's enqueue writes) is resumed and timed until it holds no waiting or active job;
// - enqueue cost: Redis commands a client sends per enqueue, counted with MONITOR.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { Queue } from 'bullmq';
import { startRedis } from '@kenos/testing/redis';
import { greeterEnv } from './greeter.mjs';
import { pinProcess, stopChild } from './processes.mjs';
import { startLogged, tempLogFile } from './service-process.mjs';

/** The bench's Kenos service (api: POST /v1/jobs enqueues; worker:noop: a no-op handler). */
export const jobsService = new URL(
  '../servers/jobs-service.mjs',
  import.meta.url,
).pathname;
const bareWorker = new URL('../servers/bare-bullmq-worker.mjs', import.meta.url)
  .pathname;

/** Jobs a worker side runs at the same time, on both sides. */
export const CONCURRENCY = 10;

/**
 * Jobs drained per measured round: a few hundred in a quick run; half as many for the CPU
 * figure, which neighbours disturb less than the elapsed time.
 */
export const jobsPerRound = (mode, clock = 'wall') =>
  mode === 'quick' ? 400 : clock === 'cpu' ? 10_000 : 20_000;
/** Jobs drained before the measured rounds, so that V8 has optimized the worker's code path. */
const warmUpJobs = (mode) => (mode === 'quick' ? 400 : 10_000);
/** Enqueues per measured round of the enqueue-cost case (after a warm-up of 5). */
export const enqueuesPerRound = (mode) => (mode === 'quick' ? 20 : 200);

/** The options @kenos/jobs gives a job enqueued with its defaults (bullmq-job-queue.ts). */
export const KENOS_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 86_400, count: 10_000 },
  removeOnFail: { age: 604_800, count: 10_000 },
};

/** A job as @kenos/jobs stores it: a payload, its origin, a UUID id. */
function kenosLikeJob(n) {
  return {
    name: 'noop',
    data: {
      payload: { n },
      origin: { requestId: randomUUID(), enqueuedAt: Date.now() },
    },
    opts: { ...KENOS_JOB_OPTIONS, jobId: randomUUID() },
  };
}

let shared;

/** The redis-server of the running case, started by its first side (pinned to core 1). */
async function acquireRedis() {
  shared ??= {
    refs: 0,
    server: startRedis().then((r) => {
      pinProcess(r.pid, 1);
      return r;
    }),
  };
  shared.refs++;
  return shared.server;
}

/** Stops the redis-server once the last side of the case released it. */
async function releaseRedis() {
  const s = shared;
  if (!s || --s.refs > 0) return;
  shared = undefined;
  await (await s.server.catch(() => undefined))?.stop();
}

const queueOn = (redis, prefix) =>
  new Queue('noop', {
    connection: { host: '127.0.0.1', port: redis.port },
    prefix,
  });

/** Adds `n` jobs in chunks of 1000 with `addBulk` (the queue is paused: nothing runs yet). */
async function fill(queue, n) {
  for (let i = 0; i < n; i += 1000) {
    const chunk = [];
    for (let j = i; j < Math.min(n, i + 1000); j++) chunk.push(kenosLikeJob(j));
    await queue.addBulk(chunk);
  }
}

/** Resumes the queue, waits until no job waits or runs, pauses it again; jobs per second. */
async function drain(queue, n) {
  const deadline = 60_000 + n;
  const t0 = performance.now();
  await queue.resume();
  let c;
  for (;;) {
    c = await queue.getJobCounts('wait', 'paused', 'prioritized', 'active');
    if (c.wait + c.paused + c.prioritized + c.active === 0) break;
    if (performance.now() - t0 > deadline)
      throw new Error(
        `KENOS_ERR_BENCH_TIMEOUT: ${JSON.stringify(c)} jobs left after ${deadline} ms`,
      );
    await new Promise((r) => setTimeout(r, 5));
  }
  const ms = performance.now() - t0;
  await queue.pause();
  const { failed, delayed } = await queue.getJobCounts('failed', 'delayed');
  if (failed + delayed > 0)
    throw new Error(
      `KENOS_ERR_BENCH_JOBS: ${failed} failed and ${delayed} delayed (retried) no-op jobs`,
    );
  return (n * 1000) / ms;
}

/**
 * CPU time in ms that the process `pid` has used, all its threads (main thread, GC and JIT
 * helpers, any logging thread) counted, in nanoseconds of Linux's scheduler statistics.
 */
export function processCpuMs(pid) {
  let ns = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(
        readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(
          ' ',
        )[0],
      );
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return ns / 1e6;
}

/**
 * A drain side: `start(redis)` runs the worker process and resolves with
 * `{ child, cleanup, prefix }`; its queue is `noop` under key prefix `prefix`. Its figure is
 * jobs per second of wall-clock time (`clock: 'wall'`) or jobs per CPU second of the worker
 * process (`clock: 'cpu'`: what the worker costs, which neighbours on a loaded machine disturb
 * far less than the elapsed time).
 */
function workerSide(name, start, { clock = 'wall' } = {}) {
  return {
    name,
    setup: async ({ mode }) => {
      const redis = await acquireRedis();
      let state;
      try {
        state = { ...(await start(redis)), redis };
        state.queue = queueOn(redis, state.prefix);
        await state.queue.pause();
        await fill(state.queue, warmUpJobs(mode));
        await drain(state.queue, warmUpJobs(mode));
        return state;
      } catch (err) {
        await teardownWorker(state);
        throw err;
      }
    },
    measure: async (state, { mode }) => {
      const n = jobsPerRound(mode, clock);
      await fill(state.queue, n);
      const cpu0 = processCpuMs(state.child.pid);
      const perSecond = await drain(state.queue, n);
      return clock === 'cpu'
        ? (n * 1000) / (processCpuMs(state.child.pid) - cpu0)
        : perSecond;
    },
    teardown: teardownWorker,
  };
}

async function teardownWorker(state) {
  try {
    await state?.queue?.close();
    if (state) await stopChild(state.child);
    state?.cleanup();
  } finally {
    await releaseRedis();
  }
}

/** The Kenos side: `node jobs-service.mjs worker:noop`, production logging to a file. */
export function kenosWorkerSide(
  name = '@kenos/server worker on @kenos/jobs',
  { clock } = {},
) {
  return workerSide(
    name,
    async (redis) => {
      const s = await startLogged(
        [jobsService, 'worker:noop'],
        greeterEnv({
          REDIS_URL: redis.url,
          BENCH_WORKER_CONCURRENCY: String(CONCURRENCY),
        }),
        /"service ready"/,
      );
      return { ...s, prefix: 'kenos' };
    },
    { clock },
  );
}

/** The anchor, a bare BullMQ Worker; `logLines` adds the floor's two raw pino lines per job. */
export function bareWorkerSide(name, { logLines = false, clock } = {}) {
  return workerSide(
    name,
    async (redis) => {
      const log = logLines ? tempLogFile('jobs.log') : undefined;
      const prefix = logLines ? 'floor' : 'bare';
      try {
        const s = await startLogged(
          [bareWorker],
          {
            REDIS_URL: redis.url,
            BULLMQ_PREFIX: prefix,
            BENCH_WORKER_CONCURRENCY: String(CONCURRENCY),
            ...(log ? { ACCESS_LOG_FILE: log.path } : {}),
          },
          /worker ready/,
        );
        return {
          ...s,
          prefix,
          cleanup: () => {
            s.cleanup();
            log?.cleanup();
          },
        };
      } catch (err) {
        log?.cleanup();
        throw err;
      }
    },
    { clock },
  );
}

/** Commands sent by clients among MONITOR lines: those of Lua scripts (`[0 lua]`) excluded. */
export function countClientCommands(lines) {
  return lines.filter((l) => /^\+\d+\.\d+ \[\d+ (?!lua\])/.test(l)).length;
}

/**
 * Runs `run()` while a MONITOR connection to 127.0.0.1:`port` records, and resolves with the
 * lines it saw up to a marker `ECHO` sent after `run` resolved (so none is missed).
 */
export async function monitorDuring(port, run) {
  const marker = `kenos-bench-${randomUUID()}`;
  const socket = connect({ host: '127.0.0.1', port });
  const lines = [];
  let buffer = '';
  let onLine = () => undefined;
  socket.setEncoding('utf8');
  socket.on('data', (chunk) => {
    buffer += chunk;
    let i;
    while ((i = buffer.indexOf('\r\n')) !== -1) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 2);
      lines.push(line);
      onLine(line);
    }
  });
  const seen = (match) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error('KENOS_ERR_BENCH_TIMEOUT: MONITOR saw no marker')),
        10_000,
      );
      onLine = (line) => {
        if (match(line)) {
          clearTimeout(timer);
          resolve();
        }
      };
      socket.once('error', reject);
    });
  try {
    const ok = seen((l) => l === '+OK');
    socket.write('MONITOR\r\n');
    await ok;
    lines.length = 0;
    await run();
    const end = seen((l) => l.includes(marker));
    await redisCommand(port, ['ECHO', marker]);
    await end;
    return lines.filter((l) => !l.includes(marker));
  } finally {
    socket.destroy();
  }
}

/** Sends one command over a fresh connection and resolves with the first line of its reply. */
function redisCommand(port, args) {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setEncoding('utf8');
    socket.once('error', reject);
    socket.once('connect', () =>
      socket.write(
        `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`,
      ),
    );
    let reply = '';
    socket.on('data', (d) => {
      reply += d;
      if (reply.includes('\r\n')) {
        socket.destroy();
        resolve(reply.slice(0, reply.indexOf('\r\n')));
      }
    });
  });
}

/** An enqueue-cost side: `setup(redis)` → state with `enqueue()`; figure: commands per enqueue. */
function enqueueSide(name, open) {
  return {
    name,
    setup: async () => {
      const redis = await acquireRedis();
      let state;
      try {
        state = { redis, ...(await open(redis)) };
        for (let i = 0; i < 5; i++) await state.enqueue(); // the first loads the script
        return state;
      } catch (err) {
        await state?.close?.();
        await releaseRedis();
        throw err;
      }
    },
    measure: async (state, { mode }) => {
      const k = enqueuesPerRound(mode);
      const lines = await monitorDuring(state.redis.port, async () => {
        for (let i = 0; i < k; i++) await state.enqueue();
      });
      return countClientCommands(lines) / k;
    },
    teardown: async (state) => {
      try {
        await state?.close();
      } finally {
        await releaseRedis();
      }
    },
  };
}

/** Bare BullMQ `Queue.add` of a job as Kenos stores it, from this process. */
export function bareAddSide(name = 'bare BullMQ Queue.add') {
  return enqueueSide(name, async (redis) => {
    const queue = queueOn(redis, 'bare-enqueue');
    return {
      enqueue: async () => {
        const { name: jobName, data, opts } = kenosLikeJob(0);
        await queue.add(jobName, data, opts);
      },
      close: () => queue.close(),
    };
  });
}

/** `POST /v1/jobs` of the bench service's api: a REST handler calling `context.enqueue`. */
export function kenosRestEnqueueSide(
  name = 'REST handler calling context.enqueue (@kenos/server api)',
) {
  return enqueueSide(name, async (redis) => {
    const s = await startLogged(
      [jobsService, 'api'],
      greeterEnv({ REDIS_URL: redis.url }),
      /^.*"service ready".*$/m,
    );
    const url = `http://127.0.0.1:${JSON.parse(s.match[0]).ports.http}/v1/jobs`;
    return {
      enqueue: async () => {
        const res = await fetch(url, { method: 'POST' });
        await res.arrayBuffer();
        if (res.status !== 202)
          throw new Error(
            `KENOS_ERR_BENCH_LOAD: POST /v1/jobs answered ${res.status}`,
          );
      },
      close: async () => {
        await stopChild(s.child);
        s.cleanup();
      },
    };
  });
}
