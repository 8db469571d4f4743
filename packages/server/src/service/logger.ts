import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  createLogger,
  flushLogs,
  getLogger,
  getLogLevel,
  isLevelName,
  registerSecretValue,
  runWithLogContext,
  setLogLevel,
  type LevelName,
  type Logger,
} from '@kenos/logger';

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
  /** Scrubs a secret value from every log line (values shorter than 6 characters are skipped). */
  registerSecret(value: string): void;
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
    registerSecret: (value) => {
      try {
        registerSecretValue(value);
      } catch {
        // too short to scrub by value without mangling logs; the config dump masks it anyway
      }
    },
    flush: flushLogs,
  };
}

/**
 * Admin `GET /log-level` (current level) and `PUT /log-level?level=debug` (change it at
 * runtime, no restart). Answers JSON `{ "level": "…" }`; 400 for an unknown level.
 */
export function logLevelHandler(logger: ServiceLogger): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.method === 'GET') return send(200, { level: getLogLevel() });
    const level = new URL(req.url ?? '/', 'http://admin').searchParams.get('level');
    if (!isLevelName(level)) return send(400, { error: 'level must be one of trace, debug, info, warn, error, fatal, silent' });
    const previous = getLogLevel();
    setLogLevel(level);
    logger.warn({ level, previous }, 'log level changed through the admin server');
    send(200, { level });
  };
}
