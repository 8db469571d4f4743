import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable } from '../process/find-executable.js';
import { freePort } from '../process/free-port.js';
import { spawnCommand, type NodeProcess } from '../process/spawn-node.js';
import { TestingError } from '../testing-error.js';
import { redisPing } from './redis-ping.js';

/** Options of {@link startRedis}. */
export interface RedisOptions {
  /**
   * Keep the data across {@link RedisServer.restart} and {@link RedisServer.kill}: an append-only
   * file written with `appendfsync always`, so every acknowledged write survives even SIGKILL.
   * Default `false` (nothing is written to disk).
   */
  persistent?: boolean;
  /** How long to wait for the server to answer `PING`, in milliseconds. Default `10000`. */
  readyTimeoutMs?: number;
  /** The binary: a name looked up on `PATH`, or a path. Default `redis-server`. */
  command?: string;
}

/** A real Redis server running as a child process of the test. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** Its port on `127.0.0.1`; the same after a restart. */
  readonly port: number;
  /** The temporary directory of its data (the append-only file when persistent). */
  readonly dir: string;
  /** The process id of the current server; `undefined` while it is down. */
  readonly pid: number | undefined;
  /** Everything the current server logged so far. */
  readonly log: string;
  /**
   * Stops the server (SIGTERM, SIGKILL after 10 s) when it runs, then starts it again on the same
   * port and data directory and waits until it answers `PING`. Also brings it back after
   * {@link RedisServer.kill}.
   */
  restart(): Promise<void>;
  /** Kills the server with SIGKILL and waits for its exit, keeping its data directory. */
  kill(): Promise<void>;
  /** Stops the server (SIGTERM, SIGKILL after 10 s) and removes {@link RedisServer.dir}. Idempotent. */
  stop(): Promise<void>;
}

const POLL_INTERVAL_MS = 100;
const PORT_ATTEMPTS = 3;

function findRedisServer(command: string): string {
  const file = findExecutable(command);
  if (file !== undefined) return file;
  throw new TestingError(
    'KENOS_ERR_TESTING_REDIS_MISSING',
    `the Redis binary "${command}" was not found; install Debian's redis-server ` +
      '(apt-get install redis-server) or pass its path as `command`',
  );
}

/** Starts the server and waits for `PING`; rejects (after killing it) when it exits or times out. */
async function launch(
  binary: string,
  port: number,
  dir: string,
  options: RedisOptions,
): Promise<NodeProcess> {
  const persistence = options.persistent
    ? ['--appendonly', 'yes', '--appendfsync', 'always']
    : ['--appendonly', 'no'];
  const proc = spawnCommand(binary, [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    ...persistence,
    '--daemonize',
    'no',
    '--maxmemory-policy',
    'noeviction',
  ]);
  const timeoutMs = options.readyTimeoutMs ?? 10_000;
  const deadline = Date.now() + timeoutMs;
  while (proc.exitInfo === undefined && Date.now() < deadline) {
    if (await redisPing(port, 500)) return proc;
    await new Promise((r) => setTimeout(r, POLL_INTERVAL_MS));
  }
  const exit = proc.exitInfo;
  await proc.stop('SIGKILL');
  throw new TestingError(
    'KENOS_ERR_TESTING_REDIS_START',
    `${
      exit
        ? `redis-server exited (code ${exit.code}, signal ${exit.signal})`
        : `redis-server did not answer PING within ${timeoutMs} ms`
    } on port ${port}; its output:\n${(proc.stdout + proc.stderr).slice(-2000) || '(empty)'}`,
  );
}

/**
 * Starts a real Redis (Debian's `redis-server`) bound to `127.0.0.1` on a free port, with its data
 * in a temporary directory, and resolves once it answers `PING`. It runs until
 * {@link RedisServer.stop}, `stopAllProcesses()` or the end of the test process. Rejects with
 * `KENOS_ERR_TESTING_REDIS_MISSING` when the binary is not found, `KENOS_ERR_TESTING_REDIS_START`
 * when it exits or does not answer in time.
 */
export async function startRedis(
  options: RedisOptions = {},
): Promise<RedisServer> {
  const binary = findRedisServer(options.command ?? 'redis-server');
  const dir = mkdtempSync(join(tmpdir(), 'kenos-redis-'));
  let proc: NodeProcess | undefined;
  let port = 0;
  try {
    for (let attempt = 1; proc === undefined; attempt++) {
      port = await freePort();
      try {
        proc = await launch(binary, port, dir, options);
      } catch (err) {
        // another process took the port between freePort and the bind: try another one
        if (attempt >= PORT_ATTEMPTS || !/in use/i.test(String(err))) throw err;
      }
    }
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  let current: NodeProcess | undefined = proc;
  let stopped = false;
  const halt = async (signal: NodeJS.Signals): Promise<void> => {
    const p = current;
    current = undefined;
    if (p) await p.stop(signal, 10_000);
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    get pid() {
      return current?.child.pid;
    },
    get log() {
      return current ? current.stdout + current.stderr : '';
    },
    async restart() {
      if (stopped) throw new Error('the Redis server was stopped');
      await halt('SIGTERM');
      current = await launch(binary, port, dir, options);
    },
    kill: () => halt('SIGKILL'),
    async stop() {
      stopped = true;
      await halt('SIGTERM');
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}
