import {
  ConfigError,
  EX_CONFIG,
  formatConfigError,
  formatConfigProblem,
  loadConfig,
  type ConfigSchema,
  type ConfigValues,
  type ConfigWarning,
  type KenosConfig,
  type StandardConfigSchema,
  type ServiceConfigSchema,
} from '@kenos/config';

export { EX_CONFIG };
export type { ConfigSchema, ConfigWarning };

/** Loaded config: the standard settings of `@kenos/config` plus the service schema's keys. */
export type ServiceConfig<S extends ConfigSchema> = KenosConfig<
  ServiceConfigSchema<S>
>;

/** The standard settings (ports, log, shutdown, env) of any loaded service config. */
export type StandardSettings = ConfigValues<StandardConfigSchema>;

/** A non-generic view of the standard settings of a loaded config. */
export function standardSettings(config: object): StandardSettings {
  return config as StandardSettings;
}

/** Config could not be loaded: every problem, formatted one per entry. */
export class ConfigProblems extends Error {
  readonly problems: string[];
  constructor(err: ConfigError) {
    super(formatConfigError(err));
    this.problems = err.problems.map(formatConfigProblem);
  }
}

/** The config seam: `@kenos/config` with the service schema, from `configDir` and the environment. */
export async function loadServiceConfig<S extends ConfigSchema>(
  schema: S,
  options: {
    env: NodeJS.ProcessEnv;
    cwd: string;
    argv: readonly string[];
    onWarning: (warning: ConfigWarning) => void;
  },
): Promise<ServiceConfig<S>> {
  try {
    return await loadConfig(schema, options);
  } catch (err) {
    if (err instanceof ConfigError && err.code === 'KENOS_ERR_CONFIG_INVALID')
      throw new ConfigProblems(err);
    throw err;
  }
}
