import { AsyncLocalStorage } from 'node:async_hooks';

/** A log method in pino's calling convention: `(msg)` or `(mergeObject, msg?)`. */
export interface LogFn {
  (msg: string): void;
  (obj: object, msg?: string): void;
}

/**
 * The logger surface the server uses and hands to handlers. A pino `Logger`
 * (what `@kenos/logger` returns) satisfies it.
 */
export interface ServiceLogger {
  trace: LogFn;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  fatal: LogFn;
  child(bindings: Record<string, unknown>): ServiceLogger;
}

/** Options of {@link createServiceLogger}. */
export interface ServiceLoggerOptions {
  service: string;
  version: string;
  env: string;
  component: string;
  level: string;
  format: string;
}

/** The logging seam: root logger, request-scoped logger and scoping. */
export interface LoggingSeam {
  root: ServiceLogger;
  /** The request-scoped logger inside {@link LoggingSeam.runWithContext}, else the root logger. */
  current(): ServiceLogger;
  runWithContext<T>(bindings: Record<string, unknown>, fn: () => T): T;
  flush(): Promise<void>;
}

const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;
type LevelName = keyof typeof LEVELS;

function serializeError(err: unknown, depth = 0): unknown {
  if (!(err instanceof Error) || depth > 5) return err;
  const out: Record<string, unknown> = { type: err.name, message: err.message, stack: err.stack };
  const code = (err as { code?: unknown }).code;
  if (code !== undefined) out['code'] = code;
  if (err.cause !== undefined) out['cause'] = serializeError(err.cause, depth + 1);
  return out;
}

/**
 * Interim JSON-lines logger used until `@kenos/logger` is wired in: same field
 * names as the contract (level label, ISO time, msg, service, version, env, component).
 */
function createJsonLogger(
  threshold: number,
  bindings: Record<string, unknown>,
  write: (line: string) => void,
): ServiceLogger {
  const make =
    (level: LevelName): LogFn =>
    (a: string | object, b?: string): void => {
      if (LEVELS[level] < threshold) return;
      const entry: Record<string, unknown> = { level, time: new Date().toISOString(), ...bindings };
      const ctx = scope.getStore();
      if (ctx) Object.assign(entry, ctx);
      if (typeof a === 'string') entry['msg'] = a;
      else {
        for (const [k, v] of Object.entries(a)) entry[k] = k === 'err' ? serializeError(v) : v;
        if (b !== undefined) entry['msg'] = b;
      }
      write(JSON.stringify(entry) + '\n');
    };
  return {
    trace: make('trace'),
    debug: make('debug'),
    info: make('info'),
    warn: make('warn'),
    error: make('error'),
    fatal: make('fatal'),
    child: (more) => createJsonLogger(threshold, { ...bindings, ...more }, write),
  };
}

const scope = new AsyncLocalStorage<Record<string, unknown>>();

/** Creates the logging seam (the one place the logger implementation is chosen). */
export function createLoggingSeam(options: ServiceLoggerOptions): LoggingSeam {
  const threshold = LEVELS[(options.level as LevelName) in LEVELS ? (options.level as LevelName) : 'info'];
  const root = createJsonLogger(
    threshold,
    { service: options.service, version: options.version, env: options.env, component: options.component },
    (line) => process.stdout.write(line),
  );
  return {
    root,
    current: () => root,
    runWithContext: (bindings, fn) => scope.run({ ...scope.getStore(), ...bindings }, fn),
    flush: () => new Promise<void>((resolve) => process.stdout.write('', () => resolve())),
  };
}
