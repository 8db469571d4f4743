// The Kenos side of the server cases: the example greeter service (examples/greeter), started
// as in production (`node dist/main.bundle.mjs api`: the single-file bundle the Dockerfile runs, with its
// NODE_COMPILE_CACHE), logs
// and access log going to a file.
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRequestsPerSecond } from './http-load.mjs';
import { grpcCallsPerSecond } from './grpc-load.mjs';
import { serverWarmUpMs, spawnPinned, stopChild } from './processes.mjs';
import { freePort, startLogged } from './service-process.mjs';

export const greeterMain = new URL(
  '../../../examples/greeter/dist/main.bundle.mjs',
  import.meta.url,
).pathname;
const READY = /^.*"service ready".*$/m;

/**
 * Environment of a benchmarked greeter: ephemeral ports and production logging (JSON at info,
 * batched writes). `KENOS_ENV=staging` because `production` refuses the local development key
 * provider and a benchmark has no KMS; `development` writes every log line unbuffered.
 */
export function greeterEnv(extra = {}) {
  return {
    KENOS_ENV: 'staging',
    HTTP_PORT: '0',
    GRPC_PORT: '0',
    ADMIN_PORT: '0',
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    // as the Dockerfile sets it: the bundle itself is compiled once and read from the cache after
    NODE_COMPILE_CACHE: join(tmpdir(), 'node-compile-cache'),
    ...extra,
  };
}

/** Starts the greeter api and resolves with `{ child, ports, cleanup }` once it logged ready. */
export async function startGreeter(env = {}) {
  const started = await startLogged(
    [greeterMain, 'api'],
    greeterEnv(env),
    READY,
  );
  const line = JSON.parse(started.match[0]);
  return { ...started, ports: line.ports };
}

async function stopGreeter(state) {
  if (!state) return;
  await stopChild(state.child);
  state.cleanup();
}

/** The greeter's REST hello route as a benchmark side. */
export function greeterRestSide(name = '@kenos/server (greeter api)') {
  return {
    name,
    setup: async ({ mode } = {}) => {
      const state = await startGreeter();
      await loadRequestsPerSecond(
        `http://127.0.0.1:${state.ports.http}/v1/greetings/warmup`,
        serverWarmUpMs(mode),
      );
      return state;
    },
    measure: (state, { durationMs }) =>
      loadRequestsPerSecond(
        `http://127.0.0.1:${state.ports.http}/v1/greetings/bench`,
        durationMs,
      ),
    teardown: stopGreeter,
  };
}

/** The greeter's gRPC SayHello as a benchmark side. */
export function greeterGrpcSide(
  name = '@kenos/server (greeter api)',
  load = grpcCallsPerSecond,
) {
  return {
    name,
    setup: async ({ mode } = {}) => {
      const state = await startGreeter();
      state.target = `127.0.0.1:${state.ports.grpc}`;
      await grpcCallsPerSecond(state.target, serverWarmUpMs(mode));
      return state;
    },
    measure: (state, { durationMs }) => load(state.target, durationMs),
    teardown: stopGreeter,
  };
}

/** Resident set size of a live process in MiB (Linux /proc). */
export function rssMiB(pid) {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(
    /VmRSS:\s+(\d+) kB/,
  );
  if (!m) throw new Error(`KENOS_ERR_BENCH_RSS: no VmRSS for pid ${pid}`);
  return Number(m[1]) / 1024;
}

/**
 * Spawns `node args` with ADMIN_PORT set to a free port and measures the time from spawn to the
 * first `GET /ready` = 200 (ms) and the RSS at that moment (MiB); then stops the process.
 */
export async function startupToReady(args, env = {}) {
  const adminPort = await freePort();
  const start = performance.now();
  const child = spawnPinned(0, process.execPath, args, {
    env: {
      ...process.env,
      ...greeterEnv(),
      ...env,
      ADMIN_PORT: String(adminPort),
    },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(
          `KENOS_ERR_BENCH_CHILD_EXIT: ${args.join(' ')} exited with ${child.exitCode}`,
        );
      const ok = await fetch(`http://127.0.0.1:${adminPort}/ready`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) break;
      if (performance.now() - start > 30_000)
        throw new Error('KENOS_ERR_BENCH_TIMEOUT: /ready never returned 200');
      await new Promise((r) => setTimeout(r, 5));
    }
    return { ms: performance.now() - start, rss: rssMiB(child.pid) };
  } finally {
    await stopChild(child);
  }
}
