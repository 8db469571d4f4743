/**
 * @kenos/logger: the fleet's structured logger on pino: request context, trace ids, secrets
 * scrubbed by value, nothing lost at exit.
 *
 * @packageDocumentation
 */
export type { Logger } from './Logger.js';
export { createLogger } from './createLogger.js';
export type { LoggerOptions } from './loggerOptions.js';
export type { LogDestination } from './createDestination.js';
export { flushLogs, getDroppedLogLines } from './createDestination.js';
export { getLogger, runWithLogContext, setLogLevel, getLogLevel } from './logContext.js';
export { registerSecretValue, MIN_SECRET_LENGTH } from './secretRegistry.js';
export { DEFAULT_REDACT_KEYS } from './createKeyRedactor.js';
export { LOG_LEVELS, isLevelName } from './levels.js';
export type { LevelName } from './levels.js';
export { LoggerError } from './logger-error.js';
export type { LoggerErrorCode } from './logger-error.js';
