import type { Logger as PinoLogger } from 'pino';

/**
 * The logger type: a pino logger (every pino method, `child()`, `level`, `isLevelEnabled()`, …).
 *
 * @public
 */
export type Logger = PinoLogger;
