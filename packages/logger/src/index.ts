/**
 * @kenos/logger: the fleet's structured logger on pino: request context, trace ids, secrets
 * scrubbed by value, nothing lost at exit.
 *
 * @packageDocumentation
 */
export type { Logger } from './logger.js';
export { createLogger } from './create-logger.js';
export type { LoggerOptions } from './logger-options.js';
export type { LogDestination } from './create-destination.js';
export { flushLogs, getDroppedLogLines } from './create-destination.js';
export {
  getLogger,
  runWithLogContext,
  setLogLevel,
  getLogLevel,
} from './log-context.js';
export { registerSecretValue, MIN_SECRET_LENGTH } from './secret-registry.js';
export { DEFAULT_REDACT_KEYS } from './create-key-redactor.js';
export { LOG_LEVELS, isLevelName } from './levels.js';
export type { LevelName } from './levels.js';
export { LoggerError } from './logger-error.js';
export type { LoggerErrorCode } from './logger-error.js';
