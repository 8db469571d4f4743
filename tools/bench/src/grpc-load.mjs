// gRPC load from a separate, pinned process: a grpc-js client (labelled as such).
import { spawnPinned, stopChild, waitForLine } from './processes.mjs';

const clientScript = new URL('../servers/grpc-client-load.mjs', import.meta.url).pathname;

/** Runs the grpc-js load client against `target` for `durationMs`; resolves with calls per second. */
export function grpcCallsPerSecond(target, durationMs, { concurrency = 32 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawnPinned(1, process.execPath, [clientScript, target, String(durationMs), String(concurrency)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      try {
        const r = JSON.parse(out);
        if (r.errors > 0) reject(new Error(`KENOS_ERR_BENCH_LOAD: ${r.errors} failed calls to ${target}`));
        else resolve(r.calls / r.seconds);
      } catch (err) {
        reject(new Error(`KENOS_ERR_BENCH_LOAD: gRPC load client exited ${code} without a result`, { cause: err }));
      }
    });
  });
}

/** A side of a case: a gRPC server script (printing `listening on <port>`) measured with the grpc-js client. */
export function grpcServerSide(name, command, args, env = {}, readyPattern = /listening on (\d+)/) {
  return {
    name,
    setup: async () => {
      const child = spawnPinned(0, command, args, { env: { ...process.env, GRPC_PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
      const m = await waitForLine(child, readyPattern);
      const state = { child, target: `127.0.0.1:${m[1]}` };
      await grpcCallsPerSecond(state.target, 500); // warm-up
      return state;
    },
    measure: (state, { durationMs }) => grpcCallsPerSecond(state.target, durationMs),
    teardown: (state) => (state ? stopChild(state.child) : undefined),
  };
}
