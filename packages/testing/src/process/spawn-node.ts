import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { describeOutput, TestingError } from '../testing-error.js';

/** One output line of a child process: the parsed JSON object, or `{ raw }` for a line that is not a JSON object. */
export type LogLine = Record<string, unknown> & { msg?: string; raw?: string };

/** How a child process ended. */
export interface ExitInfo {
  /** Exit code, `null` when the process was ended by a signal or could not be spawned. */
  code: number | null;
  /** The signal that ended the process, or `null`. */
  signal: NodeJS.Signals | null;
  /** `Date.now()` when the process exited. */
  at: number;
}

/**
 * A line matcher: a `msg` value, or a predicate over the parsed line (the
 * second argument is the line's text as written).
 */
export type LineMatcher = string | ((line: LogLine, text: string) => boolean);

/** Options of {@link spawnNode}. */
export interface SpawnNodeOptions {
  /** Environment variables of the child. Default `{}`. */
  env?: Record<string, string>;
  /**
   * Merge `env` over `process.env` (`true`) or give the child only `env`
   * (`false`, for a minimal environment; add `PATH` yourself when needed). Default `true`.
   */
  inheritEnv?: boolean;
  /** Working directory of the child. Default `process.cwd()`. */
  cwd?: string;
  /**
   * Written to the child's stdin, which is then closed. Default none: stdin is
   * `/dev/null` (ignored). An empty string gives a piped stdin that ends at once.
   */
  input?: string | Buffer;
  /**
   * A command the Node.js process is started under, e.g. `['taskset', '-c', '0']`
   * to pin it to a core. Default `[]` (Node.js is started directly).
   */
  wrapper?: string[];
  /**
   * Write the child's stdout to this file instead of a pipe (as a service logs in
   * production). The file is read (every `pollIntervalMs`) only while a
   * `waitForLine` is pending, so `lines` and `stdout` hold what was read by
   * then: a long-running process's log costs nothing once it was found ready.
   * Default none: stdout is a pipe, read as it comes.
   */
  stdoutFile?: string;
  /** Called with every stdout line, parsed and as written, before the waiters of that line. Default none. */
  onLine?: (line: LogLine, text: string) => void;
  /**
   * Let the child write to the stderr of the test process instead of collecting
   * it (`stderr` and `stderrLines` stay empty). Default `false`.
   */
  inheritStderr?: boolean;
  /** How often the `stdoutFile` is read, in milliseconds. Ignored without `stdoutFile`. Default `25`. */
  pollIntervalMs?: number;
}

/** A Node.js script running as a real child process, with its output collected. */
export interface NodeProcess {
  /** The Node.js child process. */
  readonly child: ChildProcess;
  /** Every stdout line so far, parsed; grows while the process runs. */
  readonly lines: readonly LogLine[];
  /** Every complete stderr line so far, parsed like {@link NodeProcess.lines}. */
  readonly stderrLines: readonly LogLine[];
  /** Everything the process wrote to stdout so far, as written (a torn last line included). */
  readonly stdout: string;
  /** Everything the process wrote to stderr so far. */
  readonly stderr: string;
  /** The exit of the process, resolved once it exited and all its output was read. */
  readonly exited: Promise<ExitInfo>;
  /** The exit, once known; `undefined` while the process runs. */
  readonly exitInfo: ExitInfo | undefined;
  /**
   * Resolves with the first stdout line (already written or future) whose `msg`
   * equals `match`, or for which the predicate returns true. Rejects with
   * `KENOS_ERR_TESTING_LINE_TIMEOUT` after `timeoutMs` (default `15000`) or
   * when the process exits without such a line.
   */
  waitForLine(match: LineMatcher, timeoutMs?: number): Promise<LogLine>;
  /** {@link NodeProcess.waitForLine} for the stderr lines. Default `timeoutMs` `15000`. */
  waitForStderrLine(match: LineMatcher, timeoutMs?: number): Promise<LogLine>;
  /** Sends `signal` (default `SIGTERM`) without waiting; false when the process is gone. */
  kill(signal?: NodeJS.Signals): boolean;
  /**
   * Sends `signal` (default `SIGTERM`), waits up to `timeoutMs` (default
   * `10000`) for the exit, then sends SIGKILL; resolves with the exit.
   * Resolves at once when the process already exited.
   */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<ExitInfo>;
}

/** Options of {@link stopAllProcesses}. */
export interface StopAllOptions {
  /** Signal sent to every running process. Default `SIGKILL` (cleanup, not a shutdown test). */
  signal?: NodeJS.Signals;
  /** Wait for each exit this long after `signal` before SIGKILL. Default `10000`. */
  timeoutMs?: number;
}

const DEFAULT_LINE_TIMEOUT_MS = 15_000;
const DEFAULT_STOP_TIMEOUT_MS = 10_000;
const DEFAULT_POLL_INTERVAL_MS = 25;

/** Processes started by {@link spawnNode} and not yet exited: the only ones stopAllProcesses touches. */
const running = new Set<NodeProcess>();
let exitHookInstalled = false;

/** Parses one output line: a JSON object, or `{ raw }`. */
export function parseLine(text: string): LogLine {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as LogLine;
  } catch {
    // not JSON: kept as raw text below
  }
  return { raw: text };
}

function toPredicate(
  match: LineMatcher,
): (line: LogLine, text: string) => boolean {
  return typeof match === 'string' ? (line) => line.msg === match : match;
}

interface Waiter {
  readonly pred: (line: LogLine, text: string) => boolean;
  readonly settle: (line: LogLine | Error) => void;
}

/** One output stream split into parsed lines, with its waiters. */
class LineStream {
  constructor(
    private readonly onLine?: (line: LogLine, text: string) => void,
  ) {}

  readonly lines: LogLine[] = [];
  readonly texts: string[] = [];
  private waiters: Waiter[] = [];

  push(text: string): LogLine {
    const line = parseLine(text);
    this.lines.push(line);
    this.texts.push(text);
    this.onLine?.(line, text);
    this.waiters = this.waiters.filter((w) =>
      w.pred(line, text) ? (w.settle(line), false) : true,
    );
    return line;
  }

  find(pred: (line: LogLine, text: string) => boolean): LogLine | undefined {
    const i = this.lines.findIndex((line, n) =>
      pred(line, this.texts[n] as string),
    );
    return i < 0 ? undefined : this.lines[i];
  }

  get pending(): boolean {
    return this.waiters.length > 0;
  }

  add(waiter: Waiter): void {
    this.waiters.push(waiter);
  }

  remove(waiter: Waiter): void {
    this.waiters = this.waiters.filter((w) => w !== waiter);
  }

  failAll(error: () => Error): void {
    const pending = this.waiters;
    this.waiters = [];
    for (const w of pending) w.settle(error());
  }
}

/**
 * Spawns `node <script> ...args` (with the Node.js running the tests) and
 * returns at once. Collects stdout and stderr as text and as parsed lines; the
 * process is killed with SIGKILL when the test process itself exits.
 */
export function spawnNode(
  script: string,
  args: readonly string[] = [],
  options: SpawnNodeOptions = {},
): NodeProcess {
  const wrapper = options.wrapper ?? [];
  const argv = [process.execPath, script, ...args];
  const [command, ...commandArgs] =
    wrapper.length > 0 ? [...wrapper, ...argv] : argv;
  return spawnCommand(command as string, commandArgs, options);
}

/**
 * The machinery of {@link spawnNode} for any executable (`wrapper` is
 * ignored): output collected, `stop`, {@link stopAllProcesses} and the SIGKILL
 * when the test process exits. Internal: `startPrometheus` runs its binary with it.
 */
export function spawnCommand(
  command: string,
  commandArgs: readonly string[],
  options: SpawnNodeOptions = {},
): NodeProcess {
  const stdoutFd =
    options.stdoutFile === undefined
      ? undefined
      : openSync(options.stdoutFile, 'w');
  const child = spawn(command, commandArgs, {
    cwd: options.cwd ?? process.cwd(),
    env:
      options.inheritEnv === false
        ? { ...options.env }
        : { ...process.env, ...options.env },
    stdio: [
      options.input === undefined ? 'ignore' : 'pipe',
      stdoutFd ?? 'pipe',
      options.inheritStderr === true ? 'inherit' : 'pipe',
    ],
  });
  if (stdoutFd !== undefined) closeSync(stdoutFd);
  const out = new LineStream(options.onLine);
  const err = new LineStream();
  let stdout = '';
  let stderr = '';
  let stderrRest = '';
  let exitInfo: ExitInfo | undefined;
  let exitAt: number | undefined;

  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr += chunk;
    const parts = (stderrRest + chunk).split('\n');
    stderrRest = parts.pop() ?? '';
    for (const text of parts) err.push(text);
  });

  let pollFile: (() => void) | undefined;
  if (child.stdout) {
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (stdout += chunk));
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on(
      'line',
      (text) => out.push(text),
    );
  } else if (options.stdoutFile !== undefined) {
    const file = options.stdoutFile;
    let read = 0;
    pollFile = () => {
      try {
        stdout = readFileSync(file, 'utf8');
      } catch {
        return; // removed by the caller after the exit: nothing more to read
      }
      const end = stdout.lastIndexOf('\n') + 1;
      if (end <= read) return;
      for (const text of stdout.slice(read, end - 1).split('\n'))
        out.push(text);
      read = end;
    };
  }
  // the file is polled only while someone waits for a stdout line
  let poller: NodeJS.Timeout | undefined;
  const startPolling = (): void => {
    if (!pollFile || poller) return;
    const tick = pollFile;
    poller = setInterval(() => {
      tick();
      if (!out.pending) {
        clearInterval(poller);
        poller = undefined;
      }
    }, options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS);
  };

  const how = (info: ExitInfo): string =>
    `exited with code ${info.code}${info.signal ? ` (signal ${info.signal})` : ''}`;
  const exited = new Promise<ExitInfo>((resolve) => {
    const finish = (
      code: number | null,
      signal: NodeJS.Signals | null,
    ): void => {
      if (exitInfo) return;
      clearInterval(poller);
      if (out.pending) pollFile?.();
      if (stderrRest !== '') err.push(stderrRest);
      stderrRest = '';
      exitInfo = { code, signal, at: exitAt ?? Date.now() };
      running.delete(handle);
      const info = exitInfo;
      const error = (): Error =>
        new TestingError(
          'KENOS_ERR_TESTING_LINE_TIMEOUT',
          `the process ${how(info)} without a matching line; ${describeOutput(stderr, out.lines)}`,
        );
      out.failAll(error);
      err.failAll(error);
      resolve(exitInfo);
    };
    child.once('exit', () => (exitAt = Date.now()));
    // 'close' comes after 'exit' and after stdout/stderr ended: every line is collected.
    child.once('close', finish);
    child.once('error', (error) => {
      // a spawn failure (bad cwd, too many processes) emits no 'exit'
      if (child.pid === undefined) {
        stderr += `${error.message}\n`;
        finish(null, null);
      }
    });
  });

  const waitIn = (
    stream: LineStream,
    match: LineMatcher,
    timeoutMs: number,
  ): Promise<LogLine> => {
    const pred = toPredicate(match);
    pollFile?.();
    const found = stream.find(pred);
    if (found) return Promise.resolve(found);
    if (exitInfo) {
      return Promise.reject(
        new TestingError(
          'KENOS_ERR_TESTING_LINE_TIMEOUT',
          `the process already ${how(exitInfo)} without a matching line; ${describeOutput(stderr, out.lines)}`,
        ),
      );
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
        stream.remove(waiter);
        reject(
          new TestingError(
            'KENOS_ERR_TESTING_LINE_TIMEOUT',
            `no matching line within ${timeoutMs} ms; ${describeOutput(stderr, out.lines)}`,
          ),
        );
      }, timeoutMs);
      stream.add(waiter);
      if (stream === out) startPolling();
    });
  };

  const handle: NodeProcess = {
    child,
    lines: out.lines,
    stderrLines: err.lines,
    exited,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    get exitInfo() {
      return exitInfo;
    },
    waitForLine: (match, timeoutMs = DEFAULT_LINE_TIMEOUT_MS) =>
      waitIn(out, match, timeoutMs),
    waitForStderrLine: (match, timeoutMs = DEFAULT_LINE_TIMEOUT_MS) =>
      waitIn(err, match, timeoutMs),
    kill: (signal = 'SIGTERM') => exitInfo === undefined && child.kill(signal),
    async stop(signal = 'SIGTERM', timeoutMs = DEFAULT_STOP_TIMEOUT_MS) {
      if (exitInfo) return exitInfo;
      child.kill(signal);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>(
        (resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)),
      );
      const first = await Promise.race([exited, timedOut]);
      clearTimeout(timer);
      if (first === 'timeout') child.kill('SIGKILL');
      return exited;
    },
  };

  if (options.input !== undefined) child.stdin?.end(options.input);
  running.add(handle);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // never leave a process behind when the test process itself ends
    process.once('exit', () => {
      for (const p of running) p.child.kill('SIGKILL');
    });
  }
  return handle;
}

/**
 * Stops every process started by {@link spawnNode} (services and Prometheus included) that is
 * still running, and no other process, for `afterEach` / `afterAll`. Resolves
 * with their exits once all of them are gone.
 */
export async function stopAllProcesses(
  options: StopAllOptions = {},
): Promise<ExitInfo[]> {
  const signal = options.signal ?? 'SIGKILL';
  const timeoutMs = options.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
  return Promise.all([...running].map((p) => p.stop(signal, timeoutMs)));
}
