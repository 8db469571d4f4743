import type { ConfigRow, ConfigSchema, LoadConfigOptions } from '@kenos/config';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CliError } from '../cli-error.js';
import { write, type CliIo } from '../cli-io.js';
import { parseCommandArgs, usageError, type Command } from '../command.js';
import {
  KEY_FLAGS,
  withKeyProviders,
  type KeySelection,
} from './key-selection.js';

/** Default module `kenos config` reads the service's schema from. */
export const CONFIG_SCHEMA_DEFAULT_MODULE = 'dist/config.js';
/** Modules tried in turn when `--schema` is not given: the schema module, else the service definition. */
const DEFAULT_MODULES = [CONFIG_SCHEMA_DEFAULT_MODULE, 'dist/service.js'];
/** Exports looked up in the schema module, in order, when `--export` is not given. */
const SCHEMA_EXPORTS = ['configSchema', 'schema', 'default'];

/** The parts of a `defineService` definition of `@kenos/server` that `kenos config` uses (the CLI does not depend on the server). */
interface ServiceLike {
  readonly name: string;
  /** Absent: the `version` of the package.json in the service directory, as `runService` reads it. */
  readonly version?: string;
  readonly config?: unknown;
  readonly configDir?: string;
  /** `import.meta.url` of a module of the service: its package root is the service directory. */
  readonly root?: string | URL;
}

/** What `kenos config` loads: a schema, and the service it belongs to when the module defines one. */
interface ConfigTarget {
  readonly schema: ConfigSchema;
  readonly service?: ServiceLike;
}

function asServiceDefinition(value: unknown): ServiceLike | undefined {
  const v = value as Record<string, unknown> | null;
  return typeof v === 'object' &&
    v !== null &&
    typeof v['name'] === 'string' &&
    (typeof v['version'] === 'string' || v['root'] !== undefined)
    ? (v as unknown as ServiceLike)
    : undefined;
}

/** The `version` of the package.json in `dir`; `0.0.0` without one, as `runService` defaults it. */
function packageVersion(dir: string): string {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

const usage = `Usage: kenos config <action> [flags]

Actions:
  print      load the effective config as the service would and print every key
             with its value (sensitive values masked), its source and its env var
  validate   load the config; exit 0 when valid, else list every problem on stderr
             and exit 78 (EX_CONFIG), as the service would at startup
  docs       write the Markdown reference of every key (format, default, env var, doc)

Flags:
  --schema MODULE   ES module exporting the schema made with defineConfigSchema, or the
                    service made with defineService (default ${DEFAULT_MODULES.join(', else ')},
                    relative to --cwd)
  --export NAME     the export holding the schema or the service (default: ${SCHEMA_EXPORTS.join(', then ')},
                    then the one service definition the module exports)
  --cwd DIR         service directory holding config/ (default: the current directory)
  --env NAME        environment to load, as KENOS_ENV (default: KENOS_ENV / NODE_ENV, else development)
  --json            print: a JSON array of {key, value, source, env, sensitive} (default: a table)
  --local-key FILE  key for config/<env>.secrets.* (default: from the keys.* settings)
  --kms-key-id ID   KMS key for config/<env>.secrets.*; repeatable (default: from the keys.* settings)
  -h, --help        show this help
`;

/** The module to read: `--schema`, else the first default module that exists. */
function schemaModule(cwd: string, schema: string | undefined): string {
  if (schema !== undefined) return resolve(cwd, schema);
  const found = DEFAULT_MODULES.map((m) => resolve(cwd, m)).find((m) =>
    existsSync(m),
  );
  if (found !== undefined) return found;
  throw new CliError(
    'KENOS_ERR_CLI_INPUT',
    `no config schema module in ${cwd}: neither ${DEFAULT_MODULES.join(' nor ')} exists; build the service or pass --schema MODULE`,
  );
}

async function importSchema(
  command: Command,
  modulePath: string,
  exportName: string | undefined,
): Promise<ConfigTarget> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(modulePath).href)) as Record<
      string,
      unknown
    >;
  } catch (cause) {
    throw new CliError(
      'KENOS_ERR_CLI_INPUT',
      `cannot import the config schema module ${modulePath}: ${(cause as Error).message}`,
      { cause },
    );
  }
  const names = exportName === undefined ? SCHEMA_EXPORTS : [exportName];
  for (const name of names) {
    const value = mod[name];
    if (typeof value !== 'object' || value === null) continue;
    const service = asServiceDefinition(value);
    return service === undefined
      ? { schema: value as ConfigSchema }
      : targetOf(service);
  }
  const services = Object.values(mod).flatMap((v) => {
    const service =
      exportName === undefined ? asServiceDefinition(v) : undefined;
    return service === undefined ? [] : [service];
  });
  const [only] = services;
  if (services.length === 1 && only !== undefined) return targetOf(only);
  throw usageError(
    command,
    `${modulePath} has no export ${names.join(' or ')} holding a config schema${exportName === undefined ? ', nor exactly one service definition' : ''}`,
  );
}

function targetOf(service: ServiceLike): ConfigTarget {
  return { schema: (service.config ?? {}) as ConfigSchema, service };
}

/** A row of `print --json`: the value as JSON itself, not as a JSON string; `mask` where masked. */
function jsonRow(row: ConfigRow, mask: string): Record<string, unknown> {
  let value: unknown = null;
  if (row.sensitive && row.value === mask) value = mask;
  else if (row.value !== '') value = JSON.parse(row.value);
  return { ...row, value };
}

function table(
  rows: readonly { key: string; value: string; source: string; env: string }[],
): string {
  const header = { key: 'KEY', value: 'VALUE', source: 'SOURCE', env: 'ENV' };
  const all = [header, ...rows];
  const w = (k: 'key' | 'value' | 'source') =>
    Math.max(...all.map((r) => r[k].length));
  const [kw, vw, sw] = [w('key'), w('value'), w('source')];
  return (
    all
      .map((r) =>
        `${r.key.padEnd(kw)}  ${r.value.padEnd(vw)}  ${r.source.padEnd(sw)}  ${r.env}`.trimEnd(),
      )
      .join('\n') + '\n'
  );
}

/** `kenos config print|validate|docs`: the effective config, its validation, its reference. */
export const configCommand: Command = {
  name: 'config',
  summary: "print, validate or document a service's config",
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(
      this,
      args,
      {
        schema: { type: 'string' },
        export: { type: 'string' },
        cwd: { type: 'string' },
        env: { type: 'string' },
        json: { type: 'boolean' },
        ...KEY_FLAGS,
      },
      { min: 1, max: 1 },
    );
    const action = positionals[0] ?? '';
    if (!['print', 'validate', 'docs'].includes(action))
      throw usageError(
        this,
        `unknown action '${action}' (print, validate, docs)`,
      );
    const {
      ConfigError,
      configDocs,
      describeConfig,
      EX_CONFIG,
      formatConfigError,
      loadConfig,
      MASK,
    } = await import('@kenos/config');
    const cwd = resolve(values.cwd ?? '.');
    const { schema, service } = await importSchema(
      this,
      schemaModule(cwd, values.schema),
      values.export,
    );
    if (action === 'docs') {
      await write(io.stdout, configDocs(schema));
      return 0;
    }
    const selection: KeySelection = {
      localKeys: values['local-key'] ?? [],
      kmsKeyIds: values['kms-key-id'] ?? [],
      source: 'flags',
    };
    return withKeyProviders(selection, async (providers) => {
      const options: LoadConfigOptions = {
        // as runService loads it: from the service's configDir, named after the definition
        cwd:
          values.cwd === undefined && service?.configDir !== undefined
            ? service.configDir
            : cwd,
        argv: [],
        env: {
          ...(service === undefined
            ? {}
            : {
                SERVICE_NAME: service.name,
                SERVICE_VERSION: service.version ?? packageVersion(cwd),
              }),
          ...io.env,
          ...(values.env === undefined ? {} : { KENOS_ENV: values.env }),
        },
        ...(providers[0] === undefined ? {} : { keyProvider: providers[0] }),
      };
      try {
        const config = await loadConfig(schema, options);
        if (action === 'validate') {
          await write(io.stderr, `kenos config: valid\n`);
          return 0;
        }
        const rows = describeConfig(config);
        await write(
          io.stdout,
          values.json === true
            ? `${JSON.stringify(
                rows.map((row) => jsonRow(row, MASK)),
                null,
                2,
              )}\n`
            : table(rows),
        );
        return 0;
      } catch (err) {
        if (
          !(
            err instanceof ConfigError &&
            err.code === 'KENOS_ERR_CONFIG_INVALID'
          )
        )
          throw err;
        await write(io.stderr, `${formatConfigError(err)}\n`);
        return EX_CONFIG;
      }
    });
  },
};
