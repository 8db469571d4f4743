import { writeSync } from 'node:fs';

/** One log method with pino's `(object, message)` signature. */
export type LifecycleLogFn = (
  obj: Record<string, unknown>,
  msg: string,
) => void;

/**
 * The minimal logger `@kenos/lifecycle` needs. A pino `Logger` (and so the `@kenos/logger`
 * logger) satisfies it structurally, which keeps this package free of a logger dependency.
 * Errors are always logged under the `err` key, the key pino's standard serializer reads.
 */
export interface LifecycleLogger {
  /** State changes, startup and shutdown progress. */
  info: LifecycleLogFn;
  /** A health check that starts failing, ignored calls. */
  warn: LifecycleLogFn;
  /** A failing or hanging hook or drainer, the shutdown deadline, a forced exit. */
  error: LifecycleLogFn;
  /** Crashes and startup failures, with the error under `err`. */
  fatal: LifecycleLogFn;
  /** When present, the lifecycle logs through `child({ module: 'lifecycle' })`. */
  child?: (bindings: Record<string, unknown>) => LifecycleLogger;
}

interface SerializedError {
  type: string;
  message: string;
  stack?: string;
  code?: unknown;
  cause?: SerializedError | unknown;
}

/** Serialises an error with its `cause` chain (bounded depth), the way pino's `err` serializer does. */
export function serializeError(
  value: unknown,
  depth = 0,
): SerializedError | unknown {
  if (!(value instanceof Error)) return value;
  const out: SerializedError = {
    type: value.constructor.name,
    message: value.message,
  };
  if (value.stack !== undefined) out.stack = value.stack;
  const code = (value as { code?: unknown }).code;
  if (code !== undefined) out.code = code;
  if (value.cause !== undefined && depth < 8)
    out.cause = serializeError(value.cause, depth + 1);
  return out;
}

/**
 * The logger used when none is given: one JSON object per line on stderr, written
 * synchronously so that nothing is lost when the process exits right after.
 */
export function createFallbackLogger(
  bindings: Record<string, unknown> = {},
  write: (line: string) => void = (line) => {
    writeSync(2, line);
  },
): LifecycleLogger {
  const at =
    (level: string): LifecycleLogFn =>
    (obj, msg) => {
      const record: Record<string, unknown> = {
        level,
        time: new Date().toISOString(),
        ...bindings,
        ...obj,
        msg,
      };
      if (record['err'] !== undefined)
        record['err'] = serializeError(record['err']);
      let line: string;
      try {
        line = JSON.stringify(record);
      } catch {
        line = JSON.stringify({
          level,
          time: record['time'],
          ...bindings,
          msg,
        });
      }
      write(`${line}\n`);
    };
  return {
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    fatal: at('fatal'),
    child: (more) => createFallbackLogger({ ...bindings, ...more }, write),
  };
}
