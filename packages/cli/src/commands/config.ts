import type { ConfigSchema, LoadConfigOptions } from '@kenos/config';
import { resolve } from 'node:path';
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
/** Exports looked up in the schema module, in order, when `--export` is not given. */
const SCHEMA_EXPORTS = ['configSchema', 'schema', 'default'];

const usage = `Usage: kenos config <action> [flags]

Actions:
  print      load the effective config as the service would and print every key
             with its value (sensitive values masked), its source and its env var
  validate   load the config; exit 0 when valid, else list every problem on stderr
             and exit 78 (EX_CONFIG), as the service would at startup
  docs       write the Markdown reference of every key (format, default, env var, doc)

Flags:
  --schema MODULE   ES module exporting the schema made with defineConfigSchema
                    (default ${CONFIG_SCHEMA_DEFAULT_MODULE}, relative to --cwd)
  --export NAME     the export holding the schema (default: ${SCHEMA_EXPORTS.join(', then ')})
  --cwd DIR         service directory holding config/ (default: the current directory)
  --env NAME        environment to load, as KENOS_ENV (default: KENOS_ENV / NODE_ENV, else development)
  --json            print: a JSON array of {key, value, source, env, sensitive} (default: a table)
  --local-key FILE  key for config/<env>.secrets.* (default: from the keys.* settings)
  --kms-key-id ID   KMS key for config/<env>.secrets.*; repeatable (default: from the keys.* settings)
  -h, --help        show this help
`;

async function importSchema(
  command: Command,
  modulePath: string,
  exportName: string | undefined,
): Promise<ConfigSchema> {
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
    if (typeof value === 'object' && value !== null)
      return value as ConfigSchema;
  }
  throw usageError(
    command,
    `${modulePath} has no export ${names.join(' or ')} holding a config schema`,
  );
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
    } = await import('@kenos/config');
    const cwd = resolve(values.cwd ?? '.');
    const schema = await importSchema(
      this,
      resolve(cwd, values.schema ?? CONFIG_SCHEMA_DEFAULT_MODULE),
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
        cwd,
        argv: [],
        env:
          values.env === undefined
            ? io.env
            : { ...io.env, KENOS_ENV: values.env },
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
            ? `${JSON.stringify(rows, null, 2)}\n`
            : table(rows),
        );
        return 0;
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        await write(io.stderr, `${formatConfigError(err)}\n`);
        return EX_CONFIG;
      }
    });
  },
};
