import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './cli-error.js';
import type { CliIo } from './cli-io.js';

/** One `kenos` subcommand. */
export interface Command {
  /** The word after `kenos`, e.g. `kms-local`. */
  readonly name: string;
  /** One line for the command list of `kenos help`. */
  readonly summary: string;
  /** Full usage: synopsis, flags with their defaults. */
  readonly usage: string;
  /** Runs the command with the arguments after its name; resolves to the exit code. */
  run(args: string[], io: CliIo): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * node:util parseArgs in strict mode, with unknown flags, missing values and
 * wrong positional counts turned into a usage error (exit code 2).
 */
export function parseCommandArgs<O extends Options>(
  command: Pick<Command, 'name' | 'usage'>,
  args: string[],
  options: O,
  positionals: { min: number; max: number } = { min: 0, max: 0 },
): {
  values: ReturnType<
    typeof parseArgs<{
      options: O;
      allowPositionals: true;
      strict: true;
      args: string[];
    }>
  >['values'];
  positionals: string[];
} {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (cause) {
    throw new CliError(
      'KENOS_ERR_CLI_USAGE',
      `kenos ${command.name}: ${(cause as Error).message}`,
      { usage: command.usage, cause },
    );
  }
  const count = parsed.positionals.length;
  if (count < positionals.min || count > positionals.max) {
    const what =
      count < positionals.min
        ? 'missing argument'
        : `unexpected argument '${parsed.positionals[positionals.max] ?? ''}'`;
    throw new CliError(
      'KENOS_ERR_CLI_USAGE',
      `kenos ${command.name}: ${what}`,
      { usage: command.usage },
    );
  }
  return { values: parsed.values, positionals: parsed.positionals };
}

/** A usage error of `command`, optionally caused by `cause`. */
export function usageError(
  command: Pick<Command, 'name' | 'usage'>,
  message: string,
  cause?: unknown,
): CliError {
  return new CliError(
    'KENOS_ERR_CLI_USAGE',
    `kenos ${command.name}: ${message}`,
    { usage: command.usage, ...(cause === undefined ? {} : { cause }) },
  );
}

/** Parses a non-negative number flag; usage error otherwise. */
export function numberFlag(
  command: Pick<Command, 'name' | 'usage'>,
  flag: string,
  value: string | undefined,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0)
    throw usageError(
      command,
      `--${flag} must be a non-negative number, got '${value}'`,
    );
  return n;
}
