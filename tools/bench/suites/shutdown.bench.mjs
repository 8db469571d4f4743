// Shutdown: time from SIGTERM to process exit with 100 idle keep-alive connections, and with 100
// in-flight slow requests (delay_ms=300), for the greeter (SHUTDOWN_DELAY_MS=0) and for a bare
// node:http server doing the minimal correct drain. The theoretical minimum is delay + longest
// request (0 ms and 300 ms); the anchor shows what the bare runtime needs on top of it.
import { Agent, request } from 'node:http';
import { startGreeter } from '../src/greeter.mjs';
import { startServer } from '../src/http-load.mjs';

const SLOW_MS = 300;
const bareDrain = new URL('../servers/bare-http-drain.mjs', import.meta.url)
  .pathname;

function get(agent, port, path) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens 100 connections, optionally leaves 100 slow requests in flight, SIGTERMs, times the exit. */
async function timeShutdown(start, inFlight) {
  const { child, port, cleanup } = await start();
  const agent = new Agent({ keepAlive: true, maxSockets: 100 });
  try {
    await Promise.all(
      Array.from({ length: 100 }, () => get(agent, port, '/v1/greetings/warm')),
    );
    const pending = inFlight
      ? Array.from({ length: 100 }, () =>
          get(agent, port, `/v1/greetings/slow?delay_ms=${SLOW_MS}`),
        )
      : [];
    if (inFlight) await new Promise((r) => setTimeout(r, 50)); // let the requests reach the server
    const exited = new Promise((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    const t0 = performance.now();
    child.kill('SIGTERM');
    const [code, statuses] = await Promise.all([exited, Promise.all(pending)]);
    const ms = performance.now() - t0;
    if (code !== 0)
      throw new Error(`KENOS_ERR_BENCH_SHUTDOWN: exit code ${code}`);
    if (statuses.some((s) => s !== 200))
      throw new Error(
        'KENOS_ERR_BENCH_SHUTDOWN: an in-flight request failed during shutdown',
      );
    return ms;
  } finally {
    agent.destroy();
    if (child.exitCode === null) child.kill('SIGKILL');
    cleanup?.();
  }
}

const startBare = async () => {
  const s = await startServer(bareDrain);
  return { child: s.child, port: s.port };
};
const startKenos = async () => {
  const s = await startGreeter({ SHUTDOWN_DELAY_MS: '0' });
  return { child: s.child, port: s.ports.http, cleanup: s.cleanup };
};
const side = (name, start, inFlight) => ({
  name,
  measure: () => timeShutdown(start, inFlight),
});

export default {
  name: 'shutdown',
  cases: [
    {
      name: 'SIGTERM to exit, 100 idle keep-alive connections (minimum 0 ms)',
      unit: 'ms',
      better: 'lower',
      anchor: side('bare node:http, minimal drain', startBare, false),
      subject: side('greeter api (SHUTDOWN_DELAY_MS=0)', startKenos, false),
    },
    {
      name: `SIGTERM to exit, 100 in-flight ${SLOW_MS} ms requests (minimum ${SLOW_MS} ms)`,
      unit: 'ms',
      better: 'lower',
      anchor: side('bare node:http, minimal drain', startBare, true),
      subject: side('greeter api (SHUTDOWN_DELAY_MS=0)', startKenos, true),
    },
  ],
};
