import { existsSync, readFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import {
  createKmsKeyProvider,
  createLocalKeyProvider,
  CryptoError,
  KmsConfigurationError,
  loadSecretFile,
  parseSecretDocument,
  SECRET_METADATA_KEY,
  SecretFileError,
  secretFileFormat,
  type KeyProvider,
} from '@kenos/crypto';
import type { ConfigProblem } from './config-error.js';
import type { NormalizedSchema } from './define-config-schema.js';
import { DEVELOPMENT_ENVS, isDevelopmentEnv } from './development-env.js';
import {
  entriesFromObject,
  type SourceEntry,
  type SourceResult,
} from './sources.js';

/** The `keys.*` settings that choose the key provider of the secrets file (internal). */
export interface KeySettings {
  readonly env: string;
  readonly provider: unknown;
  readonly localKeyFile: unknown;
  readonly kmsKeyId: unknown;
  readonly kmsEndpoint: unknown;
}

const SECRET_EXTENSIONS = ['yaml', 'yml', 'json'];
const SECRETS_FILE_NAME =
  /^([A-Za-z0-9][A-Za-z0-9_-]*)\.secrets\.(?:yaml|yml|json)$/;

/**
 * The environment a secrets file is for, read from its name the way the loader
 * names it: `<env>.secrets.{yaml,yml,json}` (e.g. `config/production.secrets.yaml`
 * → `production`); `undefined` for a file not named so. Only the base name counts.
 */
export function secretsFileEnv(path: string): string | undefined {
  return SECRETS_FILE_NAME.exec(basename(path))?.[1];
}

/** The value a `keys.*` leaf has from the sources below the secrets file (they cannot come from it). */
export function keySettingsFrom(
  schema: NormalizedSchema,
  envName: string,
  layers: readonly SourceResult[],
): KeySettings {
  const winner = (path: string): unknown => {
    let entry: SourceEntry | undefined;
    for (const layer of layers)
      for (const e of layer.entries) if (e.path === path) entry = e;
    return entry ? entry.value : schema.leaves.get(path)?.default;
  };
  return {
    env: envName,
    provider: winner('keys.provider'),
    localKeyFile: winner('keys.localKeyFile'),
    kmsKeyId: winner('keys.kmsKeyId'),
    kmsEndpoint: winner('keys.kmsEndpoint'),
  };
}

function providerFor(
  settings: KeySettings,
  cwd: string,
  source: string,
): KeyProvider | ConfigProblem | undefined {
  if (settings.provider === 'local') {
    // production + local is reported as a policy problem by the loader
    if (
      settings.env === 'production' ||
      typeof settings.localKeyFile !== 'string'
    )
      return undefined;
    try {
      return createLocalKeyProvider({
        keyFile: resolve(cwd, settings.localKeyFile),
      });
    } catch (err) {
      return {
        kind: 'decrypt-failed',
        key: 'keys.localKeyFile',
        env: 'KENOS_LOCAL_KEY_FILE',
        source,
        message: `cannot open the local key file to decrypt ${source.slice('secrets:'.length)}: ${(err as Error).message}`,
      };
    }
  }
  if (settings.provider === 'aws') {
    if (typeof settings.kmsKeyId !== 'string' || settings.kmsKeyId === '') {
      return {
        kind: 'missing-required',
        key: 'keys.kmsKeyId',
        env: 'KENOS_KMS_KEY_ID',
        source,
        message:
          'keys.provider is aws and a secrets file exists: set the KMS key id (KENOS_KMS_KEY_ID)',
      };
    }
    const endpoint =
      typeof settings.kmsEndpoint === 'string' && settings.kmsEndpoint !== ''
        ? settings.kmsEndpoint
        : undefined;
    return createKmsKeyProvider({
      keyIds: [settings.kmsKeyId],
      clientConfig: endpoint ? { endpoint } : {},
    });
  }
  return undefined; // an invalid keys.provider is reported by the loader
}

/** The keys a secrets file holds (they are readable without decrypting), or none if it does not parse. */
function keysOf(
  schema: NormalizedSchema,
  file: string,
  source: string,
): string[] {
  try {
    const { [SECRET_METADATA_KEY]: _metadata, ...doc } = parseSecretDocument(
      readFileSync(file, 'utf8'),
      secretFileFormat(file),
    );
    return entriesFromObject(schema, doc, source).entries.map((e) => e.path);
  } catch {
    return [];
  }
}

/**
 * Outside development (see {@link isDevelopmentEnv}), a secrets file whose data key only
 * local development keys wrap is refused before anything is decrypted: whoever has the
 * (often committed) development key could read it.
 */
function localKeyOnlyProblem(
  file: string,
  env: string,
  source: string,
  shown: string,
): ConfigProblem | undefined {
  if (isDevelopmentEnv(env)) return undefined;
  let keys: unknown;
  try {
    keys = (
      parseSecretDocument(readFileSync(file, 'utf8'), secretFileFormat(file))[
        SECRET_METADATA_KEY
      ] as { keys?: unknown } | undefined
    )?.keys;
  } catch {
    return undefined; // an unreadable file is reported when it is decrypted
  }
  if (!Array.isArray(keys) || keys.length === 0) return undefined;
  const wraps = keys.map(
    (k: { provider?: unknown; keyId?: unknown }) =>
      `${String(k?.provider)}:${String(k?.keyId)}`,
  );
  if (!keys.every((k: { provider?: unknown }) => k?.provider === 'local'))
    return undefined;
  return {
    kind: 'policy',
    source,
    expected: `a KMS key (aws-kms) among the keys of a secrets file outside ${DEVELOPMENT_ENVS.join(' and ')}`,
    value: JSON.stringify(wraps.join(', ')),
    message:
      `only a local development key opens this secrets file, and "${env}" is not a development environment (${DEVELOPMENT_ENVS.join(', ')}): ` +
      `encrypt its plaintext again for a KMS key (kenos secrets encrypt ${shown} --kms-key-id ID) and change the secrets the development key could read`,
  };
}

function describeFailure(err: unknown): { key?: string; message: string } {
  if (err instanceof SecretFileError) {
    return {
      ...(err.keyPath ? { key: err.keyPath } : {}),
      message: `cannot decrypt (${err.reason}${err.keyPath ? ` at ${err.keyPath}` : ''}): ${err.message}`,
    };
  }
  if (err instanceof KmsConfigurationError && err.problem === 'endpoint') {
    return {
      key: 'keys.kmsEndpoint',
      message: `cannot decrypt (${err.code}): ${err.message}, or keys.kmsEndpoint (KENOS_KMS_ENDPOINT)`,
    };
  }
  if (err instanceof CryptoError)
    return { message: `cannot decrypt (${err.code}): ${err.message}` };
  return { message: `cannot decrypt: ${(err as Error).message}` };
}

/**
 * Reads and decrypts `config/<env>.secrets.{yaml,yml,json}` through @kenos/crypto
 * (the caller's key provider, or one made from the `keys.*` settings). A value
 * that cannot be decrypted is a problem naming the key, never a silent default.
 * Outside development a file only local keys open is a `policy` problem.
 */
export async function readSecretsFile(
  schema: NormalizedSchema,
  cwd: string,
  settings: KeySettings,
  keyProvider: KeyProvider | undefined,
): Promise<SourceResult> {
  const found = SECRET_EXTENSIONS.map((ext) =>
    join(cwd, 'config', `${settings.env}.secrets.${ext}`),
  ).filter((f) => existsSync(f));
  if (found.length === 0) return { entries: [], problems: [] };
  const shown = found.map((f) => relative(cwd, f) || f);
  const source = `secrets:${shown[0]}`;
  if (found.length > 1) {
    return {
      entries: [],
      problems: [
        {
          kind: 'conflict',
          source,
          message: `several secrets files: ${shown.join(', ')}; keep one`,
        },
      ],
    };
  }
  const refused = localKeyOnlyProblem(
    found[0] as string,
    settings.env,
    source,
    shown[0] as string,
  );
  const provider = keyProvider ?? providerFor(settings, cwd, source);
  if (refused) {
    // nothing is decrypted; a problem of the key settings is still reported with it
    if (
      provider !== undefined &&
      provider !== keyProvider &&
      'decryptDataKey' in provider
    )
      await provider.close();
    const problems =
      provider !== undefined && !('decryptDataKey' in provider)
        ? [refused, provider]
        : [refused];
    return {
      entries: [],
      problems,
      blocked: keysOf(schema, found[0] as string, source),
    };
  }
  if (provider === undefined) return { entries: [], problems: [] };
  if (!('decryptDataKey' in provider))
    return { entries: [], problems: [provider] };
  try {
    const data = await loadSecretFile(found[0] as string, {
      keyProvider: provider,
    });
    return entriesFromObject(schema, data, source);
  } catch (err) {
    const blocked = keysOf(schema, found[0] as string, source);
    const failure = describeFailure(err);
    const holds =
      blocked.length > 0 ? ` (the file holds ${blocked.join(', ')})` : '';
    return {
      entries: [],
      problems: [
        {
          kind: 'decrypt-failed',
          source,
          ...failure,
          message: `${failure.message}${holds}`,
        },
      ],
      blocked,
    };
  } finally {
    if (provider !== keyProvider) await provider.close();
  }
}
