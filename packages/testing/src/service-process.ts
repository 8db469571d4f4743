import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describeOutput, ServiceNotReadyError, TestingError } from './testing-error.js';

/** One stdout line of the service: the parsed JSON object, or `{ raw }` for a line that is not a JSON object. */
export type LogLine = Record<string, unknown> & { msg?: string; raw?: string };

/** How a service process ended. */
export interface ExitInfo {
  /** Exit code, `null` when the process was ended by a signal or could not be spawned. */
  code: number | null;
  /** The signal that ended the process, or `null`. */
  signal: NodeJS.Signals | null;
  /** `Date.now()` when the process exited. */
  at: number;
}

/** The ports a service reported in its `service ready` log line (`ports: { http, grpc, admin }`). */
export interface ServicePorts {
  /** The HTTP (REST) port, for {@link ServiceProcess.url}. */
  http?: number;
  /** The gRPC port, for {@link ServiceProcess.grpcAddress}. */
  grpc?: number;
  /** The admin port (`/live`, `/ready`, `/metrics`), for {@link ServiceProcess.adminUrl}. */
  admin?: number;
}

/** Options of {@link startService} and {@link spawnService}. */
export interface ServiceOptions {
  /**
   * Environment variables of the child, merged over `process.env` and the
   * defaults `HTTP_PORT=0`, `GRPC_PORT=0`, `ADMIN_PORT=0` (ephemeral ports) and
   * `LOG_LEVEL=info`. Default `{}`.
   */
  env?: Record<string, string>;
  /** Extra command-line arguments, after the component. Default `[]`. */
  args?: string[];
  /**
   * How long {@link startService} waits for the `service ready` line before it
   * kills the process and rejects. Ignored by {@link spawnService}. Default `20000`.
   */
  readyTimeoutMs?: number;
  /** Working directory of the child. Default `process.cwd()`. */
  cwd?: string;
}

/** A log line matcher: a `msg` value, or a predicate over the parsed line. */
export type LineMatcher = string | ((line: LogLine) => boolean);

/** A Kenos service running as a real child process (`node <entry> <component> ...args`). */
export interface ServiceProcess {
  /** The Node.js child process. */
  readonly child: ChildProcess;
  /** Every stdout line so far, parsed; grows while the process runs. */
  readonly lines: readonly LogLine[];
  /** Everything the process wrote to stderr so far. */
  readonly stderr: string;
  /** Ports from the `service ready` line; empty until that line was logged. */
  readonly ports: Readonly<ServicePorts>;
  /** The exit of the process, resolved once it exited and all its output was read. */
  readonly exited: Promise<ExitInfo>;
  /** The exit, once known; `undefined` while the process runs. */
  readonly exitInfo: ExitInfo | undefined;
  /** `http://127.0.0.1:<http port><path>`; throws `KENOS_ERR_TESTING_NO_PORT` without an HTTP port. Default path `/`. */
  url(path?: string): string;
  /** `http://127.0.0.1:<admin port><path>`; throws `KENOS_ERR_TESTING_NO_PORT` without an admin port. Default path `/`. */
  adminUrl(path?: string): string;
  /** `127.0.0.1:<grpc port>`, the address for a gRPC client; throws `KENOS_ERR_TESTING_NO_PORT` without a gRPC port. */
  grpcAddress(): string;
  /**
   * Resolves with the first line (already logged or future) whose `msg` equals
   * `match`, or for which the predicate returns true. Rejects with
   * `KENOS_ERR_TESTING_LINE_TIMEOUT` after `timeoutMs` (default `15000`) or
   * when the process exits without such a line.
   */
  waitForLine(match: LineMatcher, timeoutMs?: number): Promise<LogLine>;
  /** Sends `signal` (default `SIGTERM`) without waiting; false when the process is gone. */
  kill(signal?: NodeJS.Signals): boolean;
  /**
   * Sends `signal` (default `SIGTERM`), waits up to `timeoutMs` (default
   * `10000`) for the exit, then sends SIGKILL; resolves with the exit.
   * Resolves at once when the process already exited.
   */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<ExitInfo>;
}

/** Options of {@link stopAllServices}. */
export interface StopAllOptions {
  /** Signal sent to every running service. Default `SIGKILL` (cleanup, not a shutdown test). */
  signal?: NodeJS.Signals;
  /** Wait for each exit this long after `signal` before SIGKILL. Default `10000`. */
  timeoutMs?: number;
}

const DEFAULT_ENV: Readonly<Record<string, string>> = { HTTP_PORT: '0', GRPC_PORT: '0', ADMIN_PORT: '0', LOG_LEVEL: 'info' };
const DEFAULT_READY_TIMEOUT_MS = 20_000;
const DEFAULT_LINE_TIMEOUT_MS = 15_000;
const DEFAULT_STOP_TIMEOUT_MS = 10_000;
const READY_MSG = 'service ready';

/** Services started by this module and not yet exited: the only ones stopAllServices touches. */
const running = new Set<ServiceProcess>();
let exitHookInstalled = false;

function resolveOptions(options: ServiceOptions): Required<ServiceOptions> {
  return {
    env: options.env ?? {},
    args: options.args ?? [],
    readyTimeoutMs: options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS,
    cwd: options.cwd ?? process.cwd(),
  };
}

function parseLine(text: string): LogLine {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as LogLine;
  } catch {
    // not JSON: kept as raw text below
  }
  return { raw: text };
}

function toPredicate(match: LineMatcher): (line: LogLine) => boolean {
  return typeof match === 'string' ? (line) => line.msg === match : match;
}

function hostUrl(port: number | undefined, name: string, path: string): string {
  if (port === undefined) throw new TestingError('KENOS_ERR_TESTING_NO_PORT', `the service reported no ${name} port (is it ready, and does its component serve ${name}?)`);
  return `http://127.0.0.1:${port}${path.startsWith('/') ? path : `/${path}`}`;
}

interface Waiter {
  readonly pred: (line: LogLine) => boolean;
  readonly settle: (line: LogLine | Error) => void;
}

/**
 * Spawns `node <entry> <component> ...args` with ephemeral ports and returns at
 * once, without waiting for `service ready`: for batch components and for
 * services that are expected to fail at startup.
 */
export function spawnService(entry: string, component: string, options: ServiceOptions = {}): ServiceProcess {
  const opts = resolveOptions(options);
  const child = spawn(process.execPath, [entry, component, ...opts.args], {
    cwd: opts.cwd,
    env: { ...process.env, ...DEFAULT_ENV, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  const ports: ServicePorts = {};
  let waiters: Waiter[] = [];
  let stderr = '';
  let exitInfo: ExitInfo | undefined;
  let exitAt: number | undefined;

  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (text) => {
    const line = parseLine(text);
    lines.push(line);
    if (line.msg === READY_MSG && typeof line['ports'] === 'object' && line['ports'] !== null) {
      for (const [name, port] of Object.entries(line['ports'])) if (typeof port === 'number') (ports as Record<string, number>)[name] = port;
    }
    waiters = waiters.filter((w) => (w.pred(line) ? (w.settle(line), false) : true));
  });

  const exited = new Promise<ExitInfo>((resolve) => {
    const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (exitInfo) return;
      exitInfo = { code, signal, at: exitAt ?? Date.now() };
      running.delete(service);
      const pending = waiters;
      waiters = [];
      const how = `exited with code ${code}${signal ? ` (signal ${signal})` : ''}`;
      for (const w of pending) w.settle(new TestingError('KENOS_ERR_TESTING_LINE_TIMEOUT', `the process ${how} without a matching log line; ${describeOutput(stderr, lines)}`));
      resolve(exitInfo);
    };
    child.once('exit', () => (exitAt = Date.now()));
    // 'close' comes after 'exit' and after stdout/stderr ended: every line is in `lines`.
    child.once('close', finish);
    child.once('error', (err) => {
      // a spawn failure (bad cwd, too many processes) emits no 'exit'
      if (child.pid === undefined) {
        stderr += `${err.message}\n`;
        finish(null, null);
      }
    });
  });

  const service: ServiceProcess = {
    child,
    lines,
    ports,
    exited,
    get stderr() {
      return stderr;
    },
    get exitInfo() {
      return exitInfo;
    },
    url: (path = '/') => hostUrl(ports.http, 'http', path),
    adminUrl: (path = '/') => hostUrl(ports.admin, 'admin', path),
    grpcAddress() {
      if (ports.grpc === undefined) throw new TestingError('KENOS_ERR_TESTING_NO_PORT', 'the service reported no grpc port (is it ready, and does its component serve gRPC?)');
      return `127.0.0.1:${ports.grpc}`;
    },
    waitForLine(match, timeoutMs = DEFAULT_LINE_TIMEOUT_MS) {
      const pred = toPredicate(match);
      const found = lines.find(pred);
      if (found) return Promise.resolve(found);
      if (exitInfo) {
        return Promise.reject(new TestingError('KENOS_ERR_TESTING_LINE_TIMEOUT', `the process already exited with code ${exitInfo.code} without a matching log line; ${describeOutput(stderr, lines)}`));
      }
      return new Promise<LogLine>((resolve, reject) => {
        const waiter: Waiter = {
          pred,
          settle: (result) => {
            clearTimeout(timer);
            if (result instanceof Error) reject(result);
            else resolve(result);
          },
        };
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== waiter);
          reject(new TestingError('KENOS_ERR_TESTING_LINE_TIMEOUT', `no matching log line within ${timeoutMs} ms; ${describeOutput(stderr, lines)}`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    kill: (signal = 'SIGTERM') => exitInfo === undefined && child.kill(signal),
    async stop(signal = 'SIGTERM', timeoutMs = DEFAULT_STOP_TIMEOUT_MS) {
      if (exitInfo) return exitInfo;
      child.kill(signal);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
      const first = await Promise.race([exited, timedOut]);
      clearTimeout(timer);
      if (first === 'timeout') child.kill('SIGKILL');
      return exited;
    },
  };

  running.add(service);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // never leave a service behind when the test process itself ends
    process.once('exit', () => {
      for (const s of running) s.child.kill('SIGKILL');
    });
  }
  return service;
}

/**
 * Spawns the service like {@link spawnService} and resolves once it logged
 * `"msg":"service ready"` (its `ports` are then set). Rejects with
 * {@link ServiceNotReadyError} (`KENOS_ERR_TESTING_NOT_READY`) when the process
 * exits first, or after `readyTimeoutMs` (the process is then killed).
 */
export async function startService(entry: string, component: string, options: ServiceOptions = {}): Promise<ServiceProcess> {
  const { readyTimeoutMs } = resolveOptions(options);
  const service = spawnService(entry, component, options);
  try {
    await service.waitForLine(READY_MSG, readyTimeoutMs);
    return service;
  } catch (err) {
    const exit = service.exitInfo;
    if (!exit) await service.stop('SIGKILL');
    const label = `service ${entry} ${component}`;
    const why = exit
      ? `${label} exited with code ${exit.code}${exit.signal ? ` (signal ${exit.signal})` : ''} before logging "${READY_MSG}"`
      : `${label} did not log "${READY_MSG}" within ${readyTimeoutMs} ms and was killed`;
    throw new ServiceNotReadyError(`${why}; ${describeOutput(service.stderr, service.lines)}`, {
      exit,
      stderr: service.stderr,
      lines: service.lines,
      cause: err,
    });
  }
}

/**
 * Stops every service started by {@link startService} / {@link spawnService}
 * that is still running (and no other process), for `afterEach` / `afterAll`.
 * Resolves with their exits once all of them are gone.
 */
export async function stopAllServices(options: StopAllOptions = {}): Promise<ExitInfo[]> {
  const signal = options.signal ?? 'SIGKILL';
  const timeoutMs = options.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
  return Promise.all([...running].map((s) => s.stop(signal, timeoutMs)));
}
