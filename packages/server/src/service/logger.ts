import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  createLogger,
  flushLogs,
  getLogger,
  getLogLevel,
  isLevelName,
  LOG_LEVELS,
  runWithLogContext,
  setLogLevel,
  type LevelName,
  type Logger,
} from '@kenos/logger';
import { problem } from '../http/problem.js';

/** The logger handlers get: the `@kenos/logger` (pino) logger. */
export type ServiceLogger = Logger;

/** Options of {@link createLoggingSeam}. */
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

/** Creates the logging seam on `@kenos/logger` (the one place the logger is chosen). */
export function createLoggingSeam(options: ServiceLoggerOptions): LoggingSeam {
  const root = createLogger({
    service: options.service,
    version: options.version,
    env: options.env,
    component: options.component,
    level: options.level as LevelName,
    format: options.format === 'pretty' ? 'pretty' : 'json',
  });
  return {
    root,
    current: getLogger,
    runWithContext: runWithLogContext,
    flush: flushLogs,
  };
}

/**
 * Admin `GET /log-level` (current level) and `PUT /log-level?level=debug` (change it at
 * runtime, no restart). Answers JSON `{ "level": "…" }`; an unknown level answers 400
 * problem+json with code `KENOS_ERR_SERVER_INVALID_LOG_LEVEL`. Who may call `PUT` is decided
 * before this handler, by the admin server's access check (`admin.token`). A change is logged at
 * warn with `log_level: { from, to }` (the line's own `level` stays its severity): before the
 * change while warn lines pass, so a change to `error` or `silent` is still on record, else after.
 */
export function logLevelHandler(
  logger: ServiceLogger,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    if (req.method === 'GET' || req.method === 'HEAD') {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ level: getLogLevel() }));
      return;
    }
    const level = new URL(req.url ?? '/', 'http://admin').searchParams.get(
      'level',
    );
    if (!isLevelName(level)) {
      const description = `must be one of ${LOG_LEVELS.join(', ')}`;
      const body = problem(400, {
        code: 'KENOS_ERR_SERVER_INVALID_LOG_LEVEL',
        detail: `query parameter level ${description}, got ${level === null ? 'none' : JSON.stringify(level)}`,
        errors: [{ field: 'level', description }],
      });
      res
        .writeHead(400, { 'content-type': 'application/problem+json' })
        .end(JSON.stringify(body));
      return;
    }
    const previous = getLogLevel();
    const audit = (): void =>
      logger.warn(
        { log_level: { from: previous, to: level } },
        'log level changed through the admin server',
      );
    const before = logger.isLevelEnabled('warn');
    if (before) audit();
    setLogLevel(level);
    if (!before) audit();
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ level }));
  };
}
