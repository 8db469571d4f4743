import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';

export interface Marker {
  event: string;
  [key: string]: unknown;
}

/** A fixture running as a real child process, with its stdout markers and stderr log lines. */
export interface Fixture {
  child: ChildProcess;
  markers: Marker[];
  stderr(): string;
  /** Log records (JSON lines) written to stderr by the fallback logger. */
  logs(): Record<string, unknown>[];
  waitFor(event: string, timeoutMs?: number): Promise<Marker>;
  waitForLog(
    match: (record: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<void>;
  exited: Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    at: number;
  }>;
}

const running = new Set<ChildProcess>();

/** Spawns `test/fixtures/<name>.mjs` with the Node running the tests. */
export function spawnFixture(
  name: string,
  env: Record<string, string> = {},
): Fixture {
  const script = fileURLToPath(
    new URL(`./fixtures/${name}.mjs`, import.meta.url),
  );
  const child = spawn(process.execPath, [script], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const markers: Marker[] = [];
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  const notify = (): void => {
    for (const w of [...waiters]) w();
  };
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    let nl: number;
    while ((nl = out.indexOf('\n')) >= 0) {
      const line = out.slice(0, nl);
      out = out.slice(nl + 1);
      try {
        markers.push(JSON.parse(line) as Marker);
      } catch {
        // not a marker
      }
    }
    notify();
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
    notify();
  });
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    at: number;
  }>((resolve) => {
    child.on('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal, at: performance.now() });
      notify();
    });
  });
  const logs = (): Record<string, unknown>[] =>
    err
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  const until = (
    ok: () => boolean,
    what: string,
    timeoutMs: number,
  ): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (ok()) {
          cleanup();
          resolve();
        } else if (child.exitCode !== null || child.signalCode !== null) {
          cleanup();
          reject(
            new Error(`fixture ${name} exited before ${what}; stderr:\n${err}`),
          );
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${what}; stderr:\n${err}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });
  return {
    child,
    markers,
    stderr: () => err,
    logs,
    waitFor: async (event, timeoutMs = 10_000) => {
      await until(
        () => markers.some((m) => m.event === event),
        `marker ${event}`,
        timeoutMs,
      );
      return markers.find((m) => m.event === event) as Marker;
    },
    waitForLog: (match, timeoutMs = 10_000) =>
      until(() => logs().some(match), 'log line', timeoutMs),
    exited,
  };
}

/** Kills every fixture still running (afterEach). */
export function killFixtures(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
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
