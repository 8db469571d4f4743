// HTTP load from a separate process (autocannon's CLI), pinned away from the server.
import { createRequire } from 'node:module';
import {
  runLoadGenerator,
  serverWarmUpMs,
  startPinnedNode,
  stopChild,
} from './processes.mjs';
import { tempLogFile } from './service-process.mjs';

const require = createRequire(import.meta.url);
const autocannonBin = require.resolve('autocannon/autocannon.js');

/**
 * Starts `script` (a server printing `listening on <port>`) on core 0 and returns a side
 * state with its port; `env` is added to the child's environment.
 */
export async function startServer(script, env = {}) {
  const { child, match } = await startPinnedNode(
    script,
    [],
    { HTTP_PORT: '0', ...env },
    /listening on (\d+)/,
  );
  return { child, port: Number(match[1]) };
}

/** Runs autocannon against `url` for `durationMs` on core 1; resolves with requests per second. */
export async function loadRequestsPerSecond(
  url,
  durationMs,
  { connections = 32 } = {},
) {
  const seconds = Math.max(1, Math.round(durationMs / 1000));
  const { stdout, code } = await runLoadGenerator(process.execPath, [
    autocannonBin,
    '-j',
    '-c',
    String(connections),
    '-d',
    String(seconds),
    url,
  ]);
  let r;
  try {
    r = JSON.parse(stdout);
  } catch (err) {
    throw new Error(
      `KENOS_ERR_BENCH_LOAD: autocannon exited ${code} without a JSON result`,
      { cause: err },
    );
  }
  if (r.non2xx > 0 || r.errors > 0)
    throw new Error(
      `KENOS_ERR_BENCH_LOAD: ${r.non2xx} non-2xx and ${r.errors} errors from ${url}`,
    );
  return r.requests.total / (r.duration || seconds);
}

/**
 * A side of a case: a server script measured by HTTP load on its hello route. A script that logs
 * writes to the temporary file in `ACCESS_LOG_FILE`.
 */
export function httpServerSide(name, script, env = {}) {
  return {
    name,
    setup: async ({ mode } = {}) => {
      const log = tempLogFile();
      let server;
      try {
        server = await startServer(script, {
          ACCESS_LOG_FILE: log.path,
          ...env,
        });
      } catch (err) {
        log.cleanup();
        throw err;
      }
      const state = { ...server, cleanup: log.cleanup };
      await loadRequestsPerSecond(
        `http://127.0.0.1:${state.port}/v1/greetings/warmup`,
        serverWarmUpMs(mode),
      );
      return state;
    },
    measure: (state, { durationMs }) =>
      loadRequestsPerSecond(
        `http://127.0.0.1:${state.port}/v1/greetings/bench`,
        durationMs,
      ),
    teardown: async (state) => {
      if (!state) return;
      await stopChild(state.child);
      state.cleanup();
    },
  };
}
