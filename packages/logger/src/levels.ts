/**
 * A pino level name. `silent` turns logging off.
 *
 * @public
 */
export type LevelName =
  | 'trace'
  | 'debug'
  | 'info'
  | 'warn'
  | 'error'
  | 'fatal'
  | 'silent';

/**
 * Every accepted level name, from the most to the least verbose.
 *
 * @public
 */
export const LOG_LEVELS: readonly LevelName[] = Object.freeze([
  'trace',
  'debug',
  'info',
  'warn',
  'error',
  'fatal',
  'silent',
]);

/**
 * Whether `value` is a level name accepted by `setLogLevel` (for example the body of `PUT /log-level`).
 *
 * @public
 */
export function isLevelName(value: unknown): value is LevelName {
  return (
    typeof value === 'string' &&
    (LOG_LEVELS as readonly string[]).includes(value)
  );
}
