import type { KeyProvider } from '@kenos/crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { CliError } from '../cli-error.js';
import { usageError, type Command } from '../command.js';

/** The name of the repository config file that maps file paths to keys. */
export const KEYS_CONFIG_FILE = '.kenos-keys.json';

/** Flags every command that needs a key accepts (for node:util parseArgs). */
export const KEY_FLAGS = {
  'local-key': { type: 'string', multiple: true },
  'kms-key-id': { type: 'string', multiple: true },
} as const;

/** The keys chosen for one command: local key files and KMS key ids (first is primary). */
export interface KeySelection {
  localKeys: string[];
  kmsKeyIds: string[];
  /** Where the selection came from: `flags` or the config file path. */
  source: string;
  /** The rule of the config file that matched: 1-based position and its pathRegex. */
  rule?: { position: number; pathRegex: string | undefined };
}

interface KeysConfigRule {
  pathRegex?: string;
  localKey?: string;
  kmsKeyIds?: string[];
}

/**
 * Chooses keys from `--local-key FILE` / `--kms-key-id ID` flags, else from
 * the first rule of the nearest `.kenos-keys.json` (searched from the current
 * directory upwards) whose `pathRegex` matches `file` (relative to the config
 * file's directory, with `/` separators; a rule without `pathRegex` matches
 * everything). Usage error when neither gives a key.
 */
export function selectKeys(
  command: Pick<Command, 'name' | 'usage'>,
  flags: {
    'local-key'?: string[] | undefined;
    'kms-key-id'?: string[] | undefined;
  },
  file?: string,
  cwd: string = process.cwd(),
): KeySelection {
  const localKeys = flags['local-key'] ?? [];
  const kmsKeyIds = flags['kms-key-id'] ?? [];
  if (localKeys.length > 0 || kmsKeyIds.length > 0)
    return { localKeys, kmsKeyIds, source: 'flags' };
  const configPath = findUp(cwd, KEYS_CONFIG_FILE);
  if (configPath === undefined) {
    throw usageError(
      command,
      `no key: pass --local-key FILE or --kms-key-id ID, or add a ${KEYS_CONFIG_FILE} to the repository`,
    );
  }
  const rules = readRules(configPath);
  const base = dirname(configPath);
  const target =
    file === undefined
      ? undefined
      : relative(base, resolve(cwd, file)).split(sep).join('/');
  for (const [index, rule] of rules.entries()) {
    if (
      rule.pathRegex !== undefined &&
      (target === undefined || !new RegExp(rule.pathRegex).test(target))
    )
      continue;
    return {
      rule: { position: index + 1, pathRegex: rule.pathRegex },
      localKeys:
        rule.localKey === undefined
          ? []
          : [
              isAbsolute(rule.localKey)
                ? rule.localKey
                : join(base, rule.localKey),
            ],
      kmsKeyIds: rule.kmsKeyIds ?? [],
      source: configPath,
    };
  }
  throw usageError(
    command,
    `no rule of ${configPath} matches ${target ?? 'this command'}; pass --local-key or --kms-key-id`,
  );
}

/**
 * Refuses a selection that would let a local key wrap the data key of a
 * secret file meant for an environment other than development and test: the
 * env comes from the file name (`<env>.secrets.{yaml,yml,json}`, as the config
 * loader names it). A file not named so has no env and is not refused.
 *
 * @throws CliError `KENOS_ERR_CLI_LOCAL_KEY_REFUSED` (exit code 2) naming the
 *   file, the env and where the local key came from (flag or rule).
 */
export async function refuseLocalKeyOutsideDevelopment(
  command: Pick<Command, 'name'>,
  action: string,
  selection: KeySelection,
  file: string,
): Promise<void> {
  if (selection.localKeys.length === 0) return;
  const { DEVELOPMENT_ENVS, isDevelopmentEnv, secretsFileEnv } = await import(
    '@kenos/config'
  );
  const env = secretsFileEnv(file);
  if (env === undefined || isDevelopmentEnv(env)) return;
  const origin =
    selection.rule === undefined
      ? `--local-key ${selection.localKeys.join(', ')}`
      : `rule ${selection.rule.position} of ${selection.source} (${
          selection.rule.pathRegex === undefined
            ? 'no pathRegex: matches every file'
            : `pathRegex ${JSON.stringify(selection.rule.pathRegex)}`
        })`;
  throw new CliError(
    'KENOS_ERR_CLI_LOCAL_KEY_REFUSED',
    `kenos ${command.name}: refusing to ${action} ${file} with a local key: ` +
      `its name says env "${env}", and local keys are only for ${DEVELOPMENT_ENVS.join(' and ')}; ` +
      `the local key came from ${origin}. Use a KMS key: --kms-key-id ID, ` +
      `or a rule with "kmsKeyIds" and no "localKey" that matches this file first`,
  );
}

/**
 * Key providers for a selection: the KMS provider first (all ids, the first
 * primary; region, credentials and endpoint from the AWS SDK's standard
 * configuration, e.g. `AWS_ENDPOINT_URL_KMS`), then one per local key file.
 */
async function keyProviders(selection: KeySelection): Promise<KeyProvider[]> {
  const { createKmsKeyProvider, createLocalKeyProvider } = await import(
    '@kenos/crypto'
  );
  const providers: KeyProvider[] = [];
  if (selection.kmsKeyIds.length > 0)
    providers.push(createKmsKeyProvider({ keyIds: selection.kmsKeyIds }));
  for (const keyFile of selection.localKeys)
    providers.push(createLocalKeyProvider({ keyFile }));
  return providers;
}

/**
 * Runs `fn` with the key providers of `selection` (see keyProviders) and
 * closes them afterwards whatever `fn` does, ignoring close errors.
 */
export async function withKeyProviders<T>(
  selection: KeySelection,
  fn: (providers: KeyProvider[]) => Promise<T>,
): Promise<T> {
  const providers = await keyProviders(selection);
  try {
    return await fn(providers);
  } finally {
    await Promise.allSettled(providers.map((p) => p.close()));
  }
}

function findUp(from: string, name: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function readRules(path: string): KeysConfigRule[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new CliError(
      'KENOS_ERR_CLI_INPUT',
      `cannot read ${path}: ${(cause as Error).message}`,
      { cause },
    );
  }
  const rules = (json as { rules?: unknown })?.rules;
  const valid =
    Array.isArray(rules) &&
    rules.every(
      (r: KeysConfigRule) =>
        typeof r === 'object' &&
        r !== null &&
        (r.pathRegex === undefined || typeof r.pathRegex === 'string') &&
        (r.localKey === undefined || typeof r.localKey === 'string') &&
        (r.kmsKeyIds === undefined ||
          (Array.isArray(r.kmsKeyIds) &&
            r.kmsKeyIds.every((k) => typeof k === 'string'))),
    );
  if (!valid) {
    throw new CliError(
      'KENOS_ERR_CLI_INPUT',
      `${path} must be {"rules": [{"pathRegex"?, "localKey"?, "kmsKeyIds"?}]}`,
    );
  }
  for (const [index, rule] of (rules as KeysConfigRule[]).entries()) {
    try {
      if (rule.pathRegex !== undefined) new RegExp(rule.pathRegex);
    } catch (cause) {
      throw new CliError(
        'KENOS_ERR_CLI_INPUT',
        `rule ${index + 1} of ${path} has an invalid pathRegex ${JSON.stringify(rule.pathRegex)}`,
        { cause },
      );
    }
  }
  return rules as KeysConfigRule[];
}
