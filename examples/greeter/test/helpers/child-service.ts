import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** One parsed JSON log line of the child (or `{ raw }` for a non-JSON line). */
export type LogLine = Record<string, unknown> & { msg?: string; level?: string };

/** A service started as a real child process, with its log lines and bound ports. */
export interface ChildService {
  readonly child: ChildProcess;
  readonly lines: LogLine[];
  readonly ports: { http?: number; grpc?: number; admin?: number };
  /** Resolves with the first line (already seen or future) matching `pred`; rejects after `timeoutMs`. */
  waitForLine(pred: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Resolves when the process exits. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  kill(signal?: NodeJS.Signals): void;
}

const alive = new Set<ChildProcess>();

/** Kills every child still running (afterAll / afterEach). */
export function killAll(): void {
  for (const c of alive) c.kill('SIGKILL');
  alive.clear();
}

/** Spawns `node <script> <args>` with ephemeral ports, collecting stdout log lines. */
export function startChild(script: string, args: string[], env: Record<string, string> = {}): ChildService {
  const child = spawn(process.execPath, [script, ...args], {
    env: { ...process.env, HTTP_PORT: '0', GRPC_PORT: '0', ADMIN_PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  alive.add(child);
  const lines: LogLine[] = [];
  const waiters: { pred: (l: LogLine) => boolean; resolve: (l: LogLine) => void }[] = [];
  const ports: ChildService['ports'] = {};
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (text) => {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      line = { raw: text };
    }
    lines.push(line);
    if (line.msg === 'service ready') Object.assign(ports, line['ports']);
    for (const w of [...waiters]) {
      if (w.pred(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) => {
    child.once('exit', (code, signal) => {
      alive.delete(child);
      resolve({ code, signal, at: Date.now() });
    });
  });
  return {
    child,
    lines,
    ports,
    exited,
    kill: (signal = 'SIGTERM') => void child.kill(signal),
    waitForLine(pred, timeoutMs = 15_000) {
      const found = lines.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`no matching log line within ${timeoutMs} ms; stderr: ${stderr.slice(-500)}; last lines: ${JSON.stringify(lines.slice(-5))}`));
        }, timeoutMs);
        const onExit = (): void => {
          setTimeout(() => {
            clearTimeout(timer);
            reject(new Error(`process exited before a matching line; stderr: ${stderr.slice(-800)}; last lines: ${JSON.stringify(lines.slice(-5))}`));
          }, 200);
        };
        child.once('exit', onExit);
        waiters.push({
          pred,
          resolve: (l) => {
            clearTimeout(timer);
            child.off('exit', onExit);
            resolve(l);
          },
        });
      });
    },
  };
}

/** Starts a long-lived component and waits for its ready line. */
export async function startReady(script: string, args: string[], env: Record<string, string> = {}): Promise<ChildService> {
  const s = startChild(script, args, env);
  await s.waitForLine((l) => l.msg === 'service ready', 30_000);
  return s;
}
