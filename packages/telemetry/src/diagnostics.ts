import { DiagLogLevel, diag, type DiagLogger } from '@opentelemetry/api';
import { setGlobalErrorHandler } from '@opentelemetry/core';
import { TelemetryError } from './telemetry-error.js';

/**
 * The structural logger telemetry reports its own problems to. A pino logger (and so a
 * `@kenos/logger` Logger) fits as is; so does anything with `warn` and `error` taking
 * an object and a message.
 */
export interface TelemetryLogger {
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

/** Writes one JSON line to stderr: the fallback when no logger is given. */
export const stderrTelemetryLogger: TelemetryLogger = {
  warn: (obj, msg) => writeLine('warn', obj, msg),
  error: (obj, msg) => writeLine('error', obj, msg),
};

function writeLine(
  level: string,
  obj: Record<string, unknown>,
  msg: string,
): void {
  try {
    process.stderr.write(
      `${JSON.stringify({ level, time: new Date().toISOString(), component: 'telemetry', ...obj, msg })}\n`,
    );
  } catch {
    // diagnostics must never throw into the host
  }
}

/** Counters of what diagnostics saw, for tests and the admin `/health` detail. */
export interface TelemetryDiagnosticsStats {
  /** Export failures reported by the SDK since tracing started. */
  exportFailures: number;
  /** Diagnostic messages suppressed by the rate limit. */
  suppressed: number;
}

const stats: TelemetryDiagnosticsStats = { exportFailures: 0, suppressed: 0 };

/** A snapshot of the diagnostics counters. */
export function getTelemetryDiagnostics(): TelemetryDiagnosticsStats {
  return { ...stats };
}

/**
 * Routes OpenTelemetry diagnostics (`diag`, warnings and above) and the global error
 * handler (where failed span exports end up) to `logger`, at most one line per message
 * kind per `intervalMs`, so a dead collector produces a trickle of warnings, never a
 * crash, an unhandled rejection or a flood.
 */
export function setTelemetryLogger(
  logger: TelemetryLogger,
  intervalMs = 60_000,
): void {
  const lastAt = new Map<string, number>();
  const limited = (key: string, emit: () => void): void => {
    const now = Date.now();
    const last = lastAt.get(key);
    if (last !== undefined && now - last < intervalMs) {
      stats.suppressed++;
      return;
    }
    lastAt.set(key, now);
    try {
      emit();
    } catch {
      // a broken logger must not break the host
    }
  };
  const format = (message: string, args: unknown[]): string =>
    [
      message,
      ...args.map((a) =>
        a instanceof Error
          ? a.message
          : typeof a === 'string'
            ? a
            : safeJson(a),
      ),
    ].join(' ');
  const diagLogger: DiagLogger = {
    error: (message, ...args) =>
      limited(`diag:${message}`, () =>
        logger.error(
          { code: 'KENOS_ERR_TELEMETRY_DIAG' },
          format(message, args),
        ),
      ),
    warn: (message, ...args) =>
      limited(`diag:${message}`, () =>
        logger.warn(
          { code: 'KENOS_ERR_TELEMETRY_DIAG' },
          format(message, args),
        ),
      ),
    info: () => undefined,
    debug: () => undefined,
    verbose: () => undefined,
  };
  diag.setLogger(diagLogger, {
    logLevel: DiagLogLevel.WARN,
    suppressOverrideMessage: true,
  });
  reportExportFailure = (exception: unknown) => {
    stats.exportFailures++;
    const err = new TelemetryError(
      'KENOS_ERR_TELEMETRY_EXPORT',
      'span export failed; spans were dropped',
      { cause: exception },
    );
    limited('export', () =>
      logger.warn(
        {
          code: err.code,
          err: { message: describe(exception) },
          exportFailures: stats.exportFailures,
        },
        err.message,
      ),
    );
  };
  setGlobalErrorHandler((exception) => reportExportFailure(exception));
}

let reportExportFailure: (exception: unknown) => void = () => {
  stats.exportFailures++;
};

/** Reports a failed span export (counted, logged at most once per interval); never throws. */
export function reportTelemetryFailure(exception: unknown): void {
  reportExportFailure(exception);
}

function describe(exception: unknown): string {
  if (exception instanceof Error) return exception.message;
  if (Array.isArray(exception)) return exception.map(describe).join('; ');
  return safeJson(exception);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
