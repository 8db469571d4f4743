// gRPC load from a separate, pinned process: a grpc-js client (labelled as such).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  runLoadGenerator,
  serverWarmUpMs,
  startPinnedNode,
  stopChild,
} from './processes.mjs';
import { tempLogFile } from './service-process.mjs';

const clientScript = new URL('../servers/grpc-client-load.mjs', import.meta.url)
  .pathname;

/** Runs the grpc-js load client against `target` for `durationMs`; resolves with calls per second. */
export async function grpcCallsPerSecond(
  target,
  durationMs,
  { concurrency = 32 } = {},
) {
  const { stdout, code } = await runLoadGenerator(
    process.execPath,
    [clientScript, target, String(durationMs), String(concurrency)],
    'inherit',
  );
  let r;
  try {
    r = JSON.parse(stdout);
  } catch (err) {
    throw new Error(
      `KENOS_ERR_BENCH_LOAD: gRPC load client exited ${code} without a result`,
      { cause: err },
    );
  }
  if (r.errors > 0)
    throw new Error(
      `KENOS_ERR_BENCH_LOAD: ${r.errors} failed calls to ${target}`,
    );
  return r.calls / r.seconds;
}

/**
 * A side of a case: a gRPC server script (printing `listening on <port>`) measured with the
 * grpc-js client; a script that logs writes to the temporary file in `ACCESS_LOG_FILE`.
 */
export function grpcServerSide(
  name,
  args,
  env = {},
  readyPattern = /listening on (\d+)/,
  load = grpcCallsPerSecond,
) {
  return {
    name,
    setup: async ({ mode } = {}) => {
      const log = tempLogFile();
      const [script, ...rest] = args;
      const { child, match: m } = await startPinnedNode(
        script,
        rest,
        { GRPC_PORT: '0', ACCESS_LOG_FILE: log.path, ...env },
        readyPattern,
      ).catch((err) => {
        log.cleanup();
        throw err;
      });
      const state = {
        child,
        target: `127.0.0.1:${m[1]}`,
        cleanup: log.cleanup,
      };
      await grpcCallsPerSecond(state.target, serverWarmUpMs(mode));
      return state;
    },
    measure: (state, { durationMs }) => load(state.target, durationMs),
    teardown: async (state) => {
      if (!state) return;
      await stopChild(state.child);
      state.cleanup();
    },
  };
}

const H2LOAD_REQUEST = (() => {
  // One gRPC message frame: compressed flag 0, big-endian length, then SayHelloRequest { name: "bench" }.
  const message = Buffer.from([0x0a, 0x05, ...Buffer.from('bench')]);
  const frame = Buffer.alloc(5 + message.length);
  frame.writeUInt32BE(message.length, 1);
  message.copy(frame, 5);
  return frame;
})();

/**
 * Server capacity with h2load (Debian package nghttp2-client), which is much lighter than a
 * grpc-js client: unary SayHello over h2c for `durationMs`; resolves with requests per second.
 */
export async function h2loadCallsPerSecond(
  target,
  durationMs,
  { connections = 8, streams = 16 } = {},
) {
  const seconds = Math.max(1, Math.round(durationMs / 1000));
  const args = [
    '-D',
    String(seconds),
    '-c',
    String(connections),
    '-m',
    String(streams),
    '-d',
    h2loadRequestFile(),
    '-H',
    'content-type: application/grpc',
    '-H',
    'te: trailers',
    `http://${target}/kenos.example.greeter.v1.GreeterService/SayHello`,
  ];
  // h2load on a loaded 2-core machine has been seen to end without a summary this parser reads: one retry
  let run;
  let summary = null;
  for (let attempt = 0; attempt < 2 && summary === null; attempt++) {
    run = await runLoadGenerator('h2load', args).catch((err) => {
      throw new Error(
        'KENOS_ERR_BENCH_H2LOAD: h2load is not installed (apt-get install nghttp2-client)',
        { cause: err },
      );
    });
    summary = parseH2loadSummary(run.stdout, seconds);
  }
  if (!summary) {
    // the whole output (about 20 lines), so that a failure in CI can be read from its log
    const output = `${run.stdout}\n${run.stderr}`
      .trim()
      .split('\n')
      .join(' | ');
    throw new Error(
      `KENOS_ERR_BENCH_LOAD: no h2load result for ${target} (exit ${run.code}): ${output}`,
    );
  }
  if (summary.failed !== 0 || summary.errored !== 0) {
    throw new Error(
      `KENOS_ERR_BENCH_LOAD: h2load saw ${summary.failed} failed, ${summary.errored} errored`,
    );
  }
  return summary.requestsPerSecond;
}

let requestFile;
/** The request body file h2load sends, written once per process and removed at exit. */
function h2loadRequestFile() {
  if (requestFile === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'kenos-h2load-'));
    requestFile = join(dir, 'request.bin');
    writeFileSync(requestFile, H2LOAD_REQUEST);
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return requestFile;
}

/**
 * Reads the summary of a timing-based (`-D seconds`) h2load run. The rate is the one of the line
 * `finished in <duration>, <rate> req/s, …` (whatever unit h2load gives the duration: s, ms or us).
 * Without that line, the rate is computed as h2load itself computes it in timing-based mode —
 * successful requests divided by the configured duration — from the `requests:` line. A CI run
 * once printed the rest of the summary but not a line this parser recognised. Returns null
 * when the `requests:` line is missing too.
 */
export function parseH2loadSummary(stdout, seconds) {
  const requests = stdout.match(
    /requests: \d+ total, \d+ started, \d+ done, (\d+) succeeded, (\d+) failed, (\d+) errored/,
  );
  if (!requests) return null;
  const rate = stdout.match(/finished in [\d.]+(?:s|ms|us), ([\d.]+) req\/s/);
  const requestsPerSecond = rate
    ? Number(rate[1])
    : Number(requests[1]) / seconds;
  return {
    requestsPerSecond,
    failed: Number(requests[2]),
    errored: Number(requests[3]),
  };
}
