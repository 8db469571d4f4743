import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import {
  spawnNode,
  stopAllProcesses,
  type LogLine,
  type NodeProcess,
} from '@kenos/testing/process';

export interface Marker {
  event: string;
  [key: string]: unknown;
}

/** A fixture running as a real child process (`spawnNode`), with its stdout markers and stderr log lines. */
export interface Fixture {
  child: NodeProcess['child'];
  /** The JSON lines of stdout so far. */
  readonly markers: Marker[];
  stderr(): string;
  /** Log records (JSON lines) written to stderr by the fallback logger. */
  logs(): Record<string, unknown>[];
  waitFor(event: string, timeoutMs?: number): Promise<Marker>;
  waitForLog(
    match: (record: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<void>;
  /** The exit, `at` on the `performance.now()` clock. */
  exited: Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    at: number;
  }>;
}

const isJson = (line: LogLine): boolean => line.raw === undefined;

/** Spawns `test/fixtures/<name>.mjs` with the Node running the tests, with `PATH` and `env` only. */
export function spawnFixture(
  name: string,
  env: Record<string, string> = {},
): Fixture {
  const script = fileURLToPath(
    new URL(`./fixtures/${name}.mjs`, import.meta.url),
  );
  const proc = spawnNode(script, [], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    inheritEnv: false,
  });
  return {
    child: proc.child,
    get markers() {
      return proc.lines.filter(isJson) as Marker[];
    },
    stderr: () => proc.stderr,
    logs: () => proc.stderrLines.filter(isJson),
    waitFor: async (event, timeoutMs = 10_000) =>
      (await proc.waitForLine(
        (l) => l['event'] === event,
        timeoutMs,
      )) as Marker,
    waitForLog: async (match, timeoutMs = 10_000) => {
      await proc.waitForStderrLine((l) => isJson(l) && match(l), timeoutMs);
    },
    exited: proc.exited.then((exit) => ({
      code: exit.code,
      signal: exit.signal,
      at: performance.now() - (Date.now() - exit.at),
    })),
  };
}

/** Kills every fixture still running (afterEach). */
export async function killFixtures(): Promise<void> {
  await stopAllProcesses();
}

/** One HTTP request on a fresh connection; resolves with status and body. */
export function get(
  port: number,
  path: string,
  method = 'GET',
  body?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method, agent: false },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (data += c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: data }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((r) => setTimeout(r, ms));
