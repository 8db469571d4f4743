/**
 * The environments that count as development: `development` and `test`.
 * Only they may use a secrets file that a local development key opens; the
 * `kenos` CLI refuses to wrap the secrets file of any other environment
 * (staging, production, …) with a local key, and the loader refuses to
 * start with one.
 */
export const DEVELOPMENT_ENVS: readonly string[] = Object.freeze([
  'development',
  'test',
]);

/** Whether `env` is a development environment ({@link DEVELOPMENT_ENVS}); case-sensitive. */
export function isDevelopmentEnv(env: string): boolean {
  return DEVELOPMENT_ENVS.includes(env);
}
