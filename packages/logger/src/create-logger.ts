import type { Logger } from './logger.js';
import { buildLogger } from './build-logger.js';
import { setRootLogger } from './log-context.js';
import type { LoggerOptions } from './logger-options.js';

/**
 * Creates the service's logger and makes it the root logger returned by `getLogger()` outside a
 * request scope. Lines are JSON objects with `level` (label), `time` (ISO 8601 UTC), `msg`,
 * `service`, `version`, `env`, `component`, the scope bindings, the active span's `trace_id`,
 * `span_id`, `trace_flags`, and errors under `err` with their cause chain; credentials are
 * redacted by key and registered secret values by value.
 *
 * @throws LoggerError `KENOS_ERR_LOGGER_OPTION_INVALID` listing every invalid option;
 * `KENOS_ERR_LOGGER_PRETTY_MISSING` when `format` is `pretty` and pino-pretty is not installed.
 * @public
 */
export function createLogger(options: LoggerOptions): Logger {
  const logger = buildLogger(options);
  setRootLogger(logger);
  return logger;
}
