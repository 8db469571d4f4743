/**
 * @kenos/config: typed, validated service config on convict: every error at once,
 * secrets masked everywhere, encrypted values decrypted at boot.
 *
 * @packageDocumentation
 */
export {
  ConfigError,
  ConfigKeyError,
  ConfigSchemaError,
  EX_CONFIG,
  formatConfigError,
  formatConfigProblem,
} from './config-error.js';
export type {
  ConfigErrorCode,
  ConfigProblem,
  ConfigProblemKind,
} from './config-error.js';
export { configDocs, describeConfig } from './describe-config.js';
export type { ConfigRow } from './describe-config.js';
export { defineConfigSchema } from './define-config-schema.js';
export { DEVELOPMENT_ENVS, isDevelopmentEnv } from './development-env.js';
export type { ServiceConfigSchema } from './define-config-schema.js';
export { kenosFormats, parseDuration } from './formats.js';
export type { KenosFormat } from './formats.js';
export { MASK } from './kenos-config.js';
export type { ConfigAccessors, KenosConfig } from './kenos-config.js';
export { loadConfig } from './load-config.js';
export type { LoadConfigOptions } from './load-config.js';
export { secretsFileEnv } from './secrets-source.js';
export type { ConfigWarning, ConfigWarningCode } from './sensitive-values.js';
export type {
  ConfigFormat,
  ConfigFormatName,
  ConfigLeaf,
  ConfigLeafPath,
  ConfigPath,
  ConfigPathValue,
  ConfigSchema,
  ConfigValidator,
  ConfigValues,
  FormatType,
  LeafValue,
  MergedSchema,
  WidenDefault,
} from './schema-types.js';
export { standardConfigSchema } from './standard-schema.js';
export type { StandardConfigSchema } from './standard-schema.js';
