/** Exit code for invalid configuration (sysexits.h EX_CONFIG); the caller (the server) exits with it. */
export const EX_CONFIG = 78;

/** What kind of problem a {@link ConfigProblem} is. */
export type ConfigProblemKind =
  | 'unknown-key'
  | 'invalid-value'
  | 'missing-required'
  | 'parse-error'
  | 'not-an-object'
  | 'file-not-found'
  | 'forbidden-key'
  | 'decrypt-failed'
  | 'conflict'
  | 'policy';

/** One problem found while loading config. Every field is safe to print: sensitive values are masked. */
export interface ConfigProblem {
  /** What kind of problem this is (see {@link ConfigProblemKind}). */
  readonly kind: ConfigProblemKind;
  /** Dotted key path, when the problem is about a key. */
  readonly key?: string;
  /** The environment variable(s) that set the key, e.g. `HTTP_PORT`. */
  readonly env?: string;
  /** Where the bad value came from: `default`, `file:config/default.yaml`, `env:HTTP_PORT`, `arg:--http.port`, … */
  readonly source?: string;
  /** What was expected. */
  readonly expected?: string;
  /** The bad value as JSON, or `[sensitive]`. */
  readonly value?: string;
  /** Line (1-based) of a parse error. */
  readonly line?: number;
  /** Column (1-based) of a parse error. */
  readonly column?: number;
  /** One-line human description. */
  readonly message: string;
}

/** Renders one problem as one line. */
export function formatConfigProblem(p: ConfigProblem): string {
  const parts: string[] = [];
  if (p.key) parts.push(p.key);
  if (p.env) parts.push(`(env ${p.env})`);
  if (p.source)
    parts.push(
      `from ${p.source}${p.line !== undefined ? `:${p.line}:${p.column ?? 0}` : ''}`,
    );
  const head = parts.length > 0 ? `${parts.join(' ')}: ` : '';
  let line = `${head}${p.message}`;
  if (p.value !== undefined) line += `; got ${p.value}`;
  return line;
}

/**
 * Stable codes of `@kenos/config`, each with a row in docs/errors.md: the codes of
 * {@link ConfigError} and of the warnings `loadConfig` gives (see `ConfigWarningCode`).
 */
export type ConfigErrorCode =
  | 'KENOS_ERR_CONFIG_INVALID'
  | 'KENOS_ERR_CONFIG_SCHEMA'
  | 'KENOS_ERR_CONFIG_UNKNOWN_KEY'
  | 'KENOS_ERR_CONFIG_SECRET_TOO_SHORT'
  | 'KENOS_ERR_CONFIG_SECRET_COMMON';

/**
 * The one error class of `@kenos/config`, with a stable {@link ConfigErrorCode}. Test `code` to
 * tell the errors apart: `KENOS_ERR_CONFIG_INVALID` is invalid configuration (every problem of
 * every source at once in `problems`, one per line in the message; exit with {@link EX_CONFIG});
 * {@link ConfigSchemaError} and {@link ConfigKeyError} are subclasses with a fixed code, kept so
 * `instanceof` still works.
 */
export class ConfigError extends Error {
  /** Stable error code. */
  readonly code: ConfigErrorCode;
  /** `ConfigError`, or the name of the subclass. */
  override readonly name: string = 'ConfigError';
  /** Every problem, in source order (`KENOS_ERR_CONFIG_INVALID`; empty for the other codes). */
  readonly problems: readonly ConfigProblem[];

  constructor(
    code: ConfigErrorCode,
    message: string,
    options?: { cause?: unknown; problems?: readonly ConfigProblem[] },
  ) {
    super(
      message,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.code = code;
    this.problems = Object.freeze([...(options?.problems ?? [])]);
  }
}

/** The `KENOS_ERR_CONFIG_INVALID` error listing every problem, one per line. */
export function invalidConfigError(
  problems: readonly ConfigProblem[],
  options?: { cause?: unknown },
): ConfigError {
  const n = problems.length;
  const list = problems.map((p) => `  - ${formatConfigProblem(p)}`).join('\n');
  return new ConfigError(
    'KENOS_ERR_CONFIG_INVALID',
    `Invalid configuration (${n} problem${n === 1 ? '' : 's'}):\n${list}`,
    {
      ...options,
      problems,
    },
  );
}

/** A schema a service declared is itself wrong (a programming error; code `KENOS_ERR_CONFIG_SCHEMA`). */
export class ConfigSchemaError extends ConfigError {
  /** Always `KENOS_ERR_CONFIG_SCHEMA`. */
  declare readonly code: 'KENOS_ERR_CONFIG_SCHEMA';
  /** `ConfigSchemaError`. */
  override readonly name = 'ConfigSchemaError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('KENOS_ERR_CONFIG_SCHEMA', message, options);
  }
}

/** A `get`/`sourceOf` of a path the schema does not have (code `KENOS_ERR_CONFIG_UNKNOWN_KEY`). */
export class ConfigKeyError extends ConfigError {
  /** Always `KENOS_ERR_CONFIG_UNKNOWN_KEY`. */
  declare readonly code: 'KENOS_ERR_CONFIG_UNKNOWN_KEY';
  /** `ConfigKeyError`. */
  override readonly name = 'ConfigKeyError';
  /** The unknown path. */
  readonly key: string;
  constructor(key: string) {
    super('KENOS_ERR_CONFIG_UNKNOWN_KEY', `Unknown config key '${key}'`);
    this.key = key;
  }
}

/**
 * Renders a config error for a terminal or one log line: for a
 * {@link ConfigError} `KENOS_ERR_CONFIG_INVALID`, the message with every problem and a hint about
 * the exit code; for any other error, its name and message.
 */
export function formatConfigError(err: unknown): string {
  if (err instanceof ConfigError && err.code === 'KENOS_ERR_CONFIG_INVALID') {
    return `${err.message}\nThe service did not start (exit code ${EX_CONFIG}, EX_CONFIG). Run \`kenos config docs\` for every key.`;
  }
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
