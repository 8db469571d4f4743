import type { KeyProvider } from '@kenos/crypto';
import convict from 'convict';
import { invalidConfigError, type ConfigProblem } from './config-error.js';
import {
  normalizeSchema,
  type NormalizedLeaf,
  type NormalizedSchema,
} from './define-config-schema.js';
import { registerConvictFormats } from './formats.js';
import { buildConfig, MASK, type KenosConfig } from './kenos-config.js';
import type { ConfigSchema } from './schema-types.js';
import {
  readArguments,
  readConfigFile,
  readEnvironment,
  type SourceEntry,
  type SourceResult,
} from './sources.js';
import { keySettingsFrom, readSecretsFile } from './secrets-source.js';
import {
  checkSensitiveValues,
  registerSensitiveValues,
  type ConfigWarning,
} from './sensitive-values.js';
import {
  OFF_KUBERNETES_DEFAULTS,
  standardConfigSchema,
} from './standard-schema.js';
import type { ServiceConfigSchema } from './define-config-schema.js';

/** Options of {@link loadConfig}; every one has a default. */
export interface LoadConfigOptions {
  /** Directory that holds `config/`; `NAME_FILE` paths are relative to it. Default `process.cwd()`. */
  cwd?: string;
  /** Environment variables. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Command-line arguments (`--http.port=8081`). Default `process.argv.slice(2)`. */
  argv?: readonly string[];
  /**
   * Key provider that decrypts `config/<env>.secrets.*`. Default one made from
   * the `keys.*` settings (a local key file, or AWS KMS), closed after loading.
   */
  keyProvider?: KeyProvider;
  /**
   * Called once per warning about a valid config, before `loadConfig` resolves: a sensitive value
   * the logger cannot scrub well (see {@link ConfigWarning}). Default `process.emitWarning`
   * (one line on stderr). The server logs them instead.
   */
  onWarning?: (warning: ConfigWarning) => void;
}

interface ResolvedOptions {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  argv: readonly string[];
  keyProvider: KeyProvider | undefined;
  onWarning: (warning: ConfigWarning) => void;
}

function emitWarning(warning: ConfigWarning): void {
  process.emitWarning(warning.message, {
    type: 'KenosConfigWarning',
    code: warning.code,
  });
}

function resolveOptions(options: LoadConfigOptions): ResolvedOptions {
  return {
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? process.env,
    argv: options.argv ?? process.argv.slice(2),
    keyProvider: options.keyProvider,
    onWarning: options.onWarning ?? emitWarning,
  };
}

/** Renders a value for a problem message, masked when sensitive. */
export function renderValue(value: unknown, sensitive: boolean): string {
  if (sensitive && value !== undefined && value !== null && value !== '')
    return MASK;
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

const ENV_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

function envNameOf(
  schema: NormalizedSchema,
  args: SourceResult,
  env: SourceResult,
): string {
  const last = (r: SourceResult): SourceEntry | undefined =>
    r.entries.filter((e) => e.path === 'env').at(-1);
  const entry = last(args) ?? last(env);
  return String(
    entry?.value ?? schema.leaves.get('env')?.default ?? 'development',
  );
}

function isOnKubernetes(
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  return (env['KUBERNETES_SERVICE_HOST'] ?? '') !== '';
}

function standardDefault(path: string): unknown {
  let node: unknown = standardConfigSchema;
  for (const k of path.split('.'))
    node = (node as Record<string, unknown> | undefined)?.[k];
  return (node as { default?: unknown } | undefined)?.default;
}

interface Resolved {
  values: Record<string, unknown>;
  sources: Map<string, string>;
  problems: ConfigProblem[];
}

function resolveLeaf(
  leaf: NormalizedLeaf,
  supplied: SourceEntry | undefined,
  opts: ResolvedOptions,
  out: Resolved,
  secretPaths: ReadonlySet<string>,
): void {
  const envNames = leaf.env.length > 0 ? { env: leaf.env.join(', ') } : {};
  const sensitive = leaf.sensitive || secretPaths.has(leaf.path);
  let entry = supplied;
  if (!entry) {
    if (leaf.required) {
      out.problems.push({
        kind: 'missing-required',
        key: leaf.path,
        ...envNames,
        expected: leaf.format.description,
        message: `required and not set (no default): set ${leaf.env.length > 0 ? `env ${leaf.env[0]} (or ${leaf.env[0]}_FILE), ` : ''}--${leaf.path}=…, or put it in a config file`,
      });
      return;
    }
    let value = leaf.default;
    if (
      leaf.path in OFF_KUBERNETES_DEFAULTS &&
      !isOnKubernetes(opts.env) &&
      value === standardDefault(leaf.path)
    ) {
      value = OFF_KUBERNETES_DEFAULTS[leaf.path];
    }
    entry = {
      path: leaf.path,
      value: structuredClone(value),
      source: 'default',
      fromText: false,
    };
  }
  let value = entry.value;
  if (entry.fromText && typeof value === 'string') {
    if (value.trim() === '' && leaf.required) {
      out.problems.push({
        kind: 'missing-required',
        key: leaf.path,
        ...envNames,
        source: entry.source,
        expected: leaf.format.description,
        message: `required, but ${entry.source.replace(/^[a-z]+:/, '')} is empty`,
      });
      return;
    }
    if (leaf.format.coerce) value = leaf.format.coerce(value);
  } else if (
    typeof value === 'string' &&
    leaf.formatLabel === 'duration' &&
    leaf.format.coerce
  ) {
    value = leaf.format.coerce(value);
  }
  if (!(value === null && leaf.nullable)) {
    try {
      leaf.format.validate(value);
    } catch (err) {
      out.problems.push({
        kind: 'invalid-value',
        key: leaf.path,
        ...envNames,
        source: entry.source,
        expected: leaf.format.description,
        value: renderValue(entry.value, sensitive),
        message: (err as Error).message,
      });
      return;
    }
  }
  out.values[leaf.path] = value;
  out.sources.set(leaf.path, entry.source);
}

function nest(flat: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(flat)) {
    const keys = path.split('.');
    let target = out;
    for (const k of keys.slice(0, -1))
      target = (target[k] ??= {}) as Record<string, unknown>;
    target[keys.at(-1) as string] = value;
  }
  return out;
}

/** The last gate: convict validates the assembled values against the same schema (strict). */
function convictValidate(
  schema: NormalizedSchema,
  values: Record<string, unknown>,
): ConfigProblem[] {
  registerConvictFormats();
  const def: Record<string, unknown> = {};
  for (const leaf of schema.leaves.values()) {
    const raw = leaf.rawFormat;
    def[leaf.path] = {
      default: leaf.default,
      format: Array.isArray(raw) ? [...(raw as unknown[])] : raw,
      ...(leaf.sensitive ? { sensitive: true } : {}),
      ...(leaf.nullable ? { nullable: true } : {}),
    };
  }
  try {
    convict(nest(def) as convict.Schema<unknown>, { env: {}, args: [] })
      .load(nest(values))
      .validate({ allowed: 'strict' });
    return [];
  } catch (err) {
    return [
      {
        kind: 'invalid-value',
        message: `convict rejected the assembled config: ${(err as Error).message}`,
      },
    ];
  }
}

/**
 * Loads, validates and freezes the config of a service, once at boot.
 *
 * Sources, lowest to highest: schema defaults < `config/default.{json,yaml,yml}`
 * < `config/<env>.{json,yaml,yml}` < the encrypted `config/<env>.secrets.{yaml,yml,json}`
 * (decrypted through @kenos/crypto) < environment variables (`NAME_FILE` reads a
 * file) < command-line arguments (`--http.port=8081`). Every problem of every
 * source is collected; if there is any, it throws one {@link ConfigError}
 * `KENOS_ERR_CONFIG_INVALID` listing them all (the caller exits with {@link EX_CONFIG}).
 */
export async function loadConfig<const S extends ConfigSchema>(
  schema: S,
  options: LoadConfigOptions = {},
): Promise<KenosConfig<ServiceConfigSchema<S>>> {
  const opts = resolveOptions(options);
  const normalized = normalizeSchema(schema);
  const envResult = readEnvironment(normalized, opts.env, opts.cwd);
  const argResult = readArguments(normalized, opts.argv);
  const envName = envNameOf(normalized, argResult, envResult);

  const problems: ConfigProblem[] = [];
  const layers: SourceResult[] = [
    readConfigFile(normalized, opts.cwd, 'default'),
  ];
  if (ENV_NAME.test(envName)) {
    if (envName !== 'default')
      layers.push(readConfigFile(normalized, opts.cwd, envName));
  } else {
    problems.push({
      kind: 'invalid-value',
      key: 'env',
      env: 'KENOS_ENV, NODE_ENV',
      value: JSON.stringify(envName),
      expected: 'letters, digits, "-" and "_"',
      message:
        'the environment name selects config files and must be a simple name',
    });
  }
  const secretPaths = new Set<string>();
  if (ENV_NAME.test(envName)) {
    const settings = keySettingsFrom(normalized, envName, [
      ...layers,
      envResult,
      argResult,
    ]);
    const secrets = await readSecretsFile(
      normalized,
      opts.cwd,
      settings,
      opts.keyProvider,
    );
    for (const entry of secrets.entries) secretPaths.add(entry.path);
    layers.push(secrets);
  }
  layers.push(envResult, argResult);

  const winners = new Map<string, SourceEntry>();
  for (const layer of layers) {
    problems.push(...layer.problems);
    for (const entry of layer.entries) {
      if (entry.path === 'env' && !entry.fromText) {
        problems.push({
          kind: 'invalid-value',
          key: 'env',
          env: 'KENOS_ENV, NODE_ENV',
          source: entry.source,
          message:
            'the environment name selects the config files, so no file can set it: use KENOS_ENV, NODE_ENV or --env',
        });
      } else {
        winners.set(entry.path, entry);
      }
    }
  }
  const resolved: Resolved = { values: {}, sources: new Map(), problems };
  // a key whose source already failed (unreadable NAME_FILE, NAME and NAME_FILE both set,
  // an undecryptable secrets file) is not also reported missing
  const failed = new Set<string | undefined>(problems.map((p) => p.key));
  for (const layer of layers)
    for (const path of layer.blocked ?? []) failed.add(path);
  for (const leaf of normalized.leaves.values()) {
    if (!failed.has(leaf.path))
      resolveLeaf(leaf, winners.get(leaf.path), opts, resolved, secretPaths);
  }
  if (
    resolved.values['env'] === 'production' &&
    resolved.values['keys.provider'] === 'local'
  ) {
    problems.push({
      kind: 'policy',
      key: 'keys.provider',
      env: 'KENOS_KEY_PROVIDER',
      source: resolved.sources.get('keys.provider') ?? 'default',
      value: '"local"',
      expected: '"aws" in production',
      message: 'production refuses the local development key provider',
    });
  }
  // every value the secrets file supplies is sensitive, whatever the schema says
  const sensitive = new Set(
    [...normalized.leaves.values()]
      .filter((l) => l.sensitive)
      .map((l) => l.path),
  );
  for (const path of secretPaths)
    if (resolved.sources.get(path)?.startsWith('secrets:')) sensitive.add(path);
  const sensitiveCheck = checkSensitiveValues(
    normalized,
    resolved.values,
    resolved.sources,
    sensitive,
  );
  problems.push(...sensitiveCheck.problems);
  if (problems.length === 0)
    problems.push(...convictValidate(normalized, resolved.values));
  if (problems.length > 0) throw invalidConfigError(problems);

  registerSensitiveValues(sensitiveCheck);
  for (const warning of sensitiveCheck.warnings) opts.onWarning(warning);
  return buildConfig<ServiceConfigSchema<S>>({
    schema: normalized,
    values: resolved.values,
    sources: resolved.sources,
    sensitive,
  });
}
