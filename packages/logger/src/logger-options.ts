import type { LogDestination } from './create-destination.js';
import { LoggerError } from './logger-error.js';
import { isLevelName, type LevelName } from './levels.js';

/**
 * Options of `createLogger`. Every optional field shows its default.
 *
 * @public
 */
export interface LoggerOptions {
  /** Service name, written as `service` on every line. */
  service: string;
  /** Service version, written as `version` on every line. */
  version: string;
  /** Environment name (e.g. `production`), written as `env` on every line. */
  env: string;
  /** Component (`api`, `worker:<name>`, `batch:<name>`), written as `component` on every line. */
  component: string;
  /** Minimum level written. Default `LOG_LEVEL` from the environment (when set and not empty), else `'info'`. */
  level?: LevelName;
  /** `'json'` (one JSON object per line) or `'pretty'` (pino-pretty, for local development). Default `LOG_FORMAT`, else `'json'`. */
  format?: 'json' | 'pretty';
  /** Where lines go. Default `'stdout'`. */
  destination?: LogDestination;
  /**
   * Bytes batched in memory before one write to a file or descriptor destination (0 writes each
   * line at once; at most 16383). Default `0` when `env` is `development` or `test` or `format`
   * is `pretty`, else `4096`.
   */
  bufferBytes?: number;
  /** With a batch buffer, how often a partly filled batch is written anyway, in ms. Default `100`. */
  flushIntervalMs?: number;
  /** Key names redacted in addition to the built-in list (same case-insensitive rule). Default `[]`. */
  redactKeys?: readonly string[];
  /**
   * pino serializers by key, added to the default `err` serializer (cause chain included). Their
   * output is redacted by key too. Default `{}`.
   */
  serializers?: Record<string, (value: never) => unknown>;
}

/** The options with every default applied. */
export interface ResolvedLoggerOptions {
  service: string;
  version: string;
  env: string;
  component: string;
  level: LevelName;
  format: 'json' | 'pretty';
  destination: LogDestination;
  bufferBytes: number;
  flushIntervalMs: number;
  redactKeys: readonly string[];
  serializers: Record<string, (value: unknown) => unknown>;
}

/** The largest batch buffer: sonic-boom needs it below its 16 KiB maximum write. */
const MAX_BUFFER_BYTES = 16_383;
const DEFAULT_BUFFER_BYTES = 4096;
const DEFAULT_FLUSH_INTERVAL_MS = 100;

/** Merges `options` with the defaults (the one place where that happens) and validates them. */
export function resolveLoggerOptions(
  options: LoggerOptions,
  environment: NodeJS.ProcessEnv = process.env,
): ResolvedLoggerOptions {
  const problems: string[] = [];
  for (const key of ['service', 'version', 'env', 'component'] as const) {
    const value: unknown = options?.[key];
    if (typeof value !== 'string' || value.length === 0)
      problems.push(`${key} must be a non-empty string`);
  }
  const level: unknown =
    options?.level ?? (environment['LOG_LEVEL'] || undefined) ?? 'info';
  if (!isLevelName(level)) {
    problems.push(
      `level ${JSON.stringify(level)} is not one of trace, debug, info, warn, error, fatal, silent`,
    );
  }
  const format: unknown =
    options?.format ?? (environment['LOG_FORMAT'] || undefined) ?? 'json';
  if (format !== 'json' && format !== 'pretty') {
    problems.push(`format ${JSON.stringify(format)} is not 'json' or 'pretty'`);
  }
  const unbuffered =
    options?.env === 'development' ||
    options?.env === 'test' ||
    format === 'pretty';
  const bufferBytes =
    options?.bufferBytes ?? (unbuffered ? 0 : DEFAULT_BUFFER_BYTES);
  if (
    !Number.isInteger(bufferBytes) ||
    bufferBytes < 0 ||
    bufferBytes > MAX_BUFFER_BYTES
  ) {
    problems.push(
      `bufferBytes must be an integer from 0 to ${MAX_BUFFER_BYTES}`,
    );
  }
  const flushIntervalMs = options?.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS;
  if (!Number.isInteger(flushIntervalMs) || flushIntervalMs <= 0) {
    problems.push('flushIntervalMs must be a positive integer');
  }
  if (problems.length > 0) {
    throw new LoggerError(
      'KENOS_ERR_LOGGER_OPTION_INVALID',
      `Invalid logger options: ${problems.join('; ')}`,
    );
  }
  return {
    service: options.service,
    version: options.version,
    env: options.env,
    component: options.component,
    level: level as LevelName,
    format: format as 'json' | 'pretty',
    destination: options.destination ?? 'stdout',
    bufferBytes,
    flushIntervalMs,
    redactKeys: options.redactKeys ?? [],
    serializers: (options.serializers ?? {}) as Record<
      string,
      (value: unknown) => unknown
    >,
  };
}
