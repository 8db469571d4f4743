import { CliError } from './cli-error.js';
import { cliVersion } from './cli-version.js';
import { processIo, write, type CliIo } from './cli-io.js';
import type { Command } from './command.js';
import { bundleCommand } from './commands/bundle.js';
import { configCommand } from './commands/config.js';
import { decryptCommand } from './commands/decrypt.js';
import { encryptCommand } from './commands/encrypt.js';
import { globalUsage, helpCommand } from './commands/help.js';
import { kmsLocalCommand } from './commands/kms-local.js';
import { localKeyCommand } from './commands/local-key.js';
import { newCommand } from './commands/new.js';
import { manifestsCommand } from './commands/manifests.js';
import { migrateCommand } from './commands/migrate.js';
import { observabilityCommand } from './commands/observability.js';
import { secretsCommand } from './commands/secrets.js';

const commands: readonly Command[] = [
  newCommand,
  encryptCommand,
  decryptCommand,
  secretsCommand,
  configCommand,
  observabilityCommand,
  bundleCommand,
  manifestsCommand,
  migrateCommand,
  localKeyCommand,
  kmsLocalCommand,
  helpCommand(() => commands),
];

/** Every `kenos` subcommand, in the order `kenos help` lists them. */
export function cliCommands(): readonly Command[] {
  return commands;
}

/**
 * Runs `kenos` with `argv` (the arguments after the program name) and
 * resolves to the process exit code: 0 on success, 1 when the command
 * failed (one line on stderr, with the error's `cause` chain), 2 for a
 * usage error — no command, an unknown command or flag, a missing or
 * malformed argument — (usage on stderr) or a refused key choice (one
 * line), 78 when `kenos config` finds the config invalid. Never rejects.
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo = processIo(),
): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined) {
      await write(
        io.stderr,
        `kenos: missing command\n\n${globalUsage(commands)}`,
      );
      return 2;
    }
    if (name === '--help' || name === '-h') {
      const help = commands.find((c) => c.name === 'help');
      return help === undefined ? 2 : await help.run([], io);
    }
    if (name === '--version' || name === '-v') {
      await write(io.stdout, `${cliVersion()}\n`);
      return 0;
    }
    const command = commands.find((c) => c.name === name);
    if (command === undefined) {
      await write(
        io.stderr,
        `kenos: unknown command '${name}'\n\n${globalUsage(commands)}`,
      );
      return 2;
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      await write(io.stdout, command.usage);
      return 0;
    }
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof CliError && err.usage !== undefined) {
      await write(io.stderr, `${err.message}\n\n${err.usage}`);
      return err.exitCode;
    }
    await write(io.stderr, `${oneLine(err, name)}\n`);
    return err instanceof CliError ? err.exitCode : 1;
  }
}

/** How many causes of an error the one line shows at most. */
const MAX_CAUSES = 8;

/**
 * `kenos <command>: <message> (<code>); caused by: <cause> (<code>); …` on one
 * line: the `cause` chain follows, each cause whose message the line does not
 * already hold (`caused by: ENOENT: no such file or directory, open '…'`).
 */
function oneLine(err: unknown, command: string | undefined): string {
  const e = err as { message?: unknown; code?: unknown };
  const message = typeof e?.message === 'string' ? e.message : String(err);
  const code = typeof e?.code === 'string' ? ` (${e.code})` : '';
  const prefix = message.startsWith('kenos ') ? '' : `kenos ${command ?? ''}: `;
  let line = `${prefix}${message}${code}`;
  const seen = new Set<unknown>([err]);
  let cause = (err as { cause?: unknown } | null)?.cause;
  for (
    let n = 0;
    cause !== undefined && cause !== null && n < MAX_CAUSES;
    n++
  ) {
    if (seen.has(cause)) break;
    seen.add(cause);
    const text = describeCause(cause);
    const said = cause instanceof Error ? cause.message : text;
    if (text !== '' && !line.includes(said)) line += `; caused by: ${text}`;
    cause = (cause as { cause?: unknown }).cause;
  }
  return line.replace(/\s*\n\s*/g, ' ');
}

/** `Name: message (code)` of one cause; the name is left out for a plain `Error`, the code when the message holds it. */
function describeCause(cause: unknown): string {
  if (!(cause instanceof Error))
    return typeof cause === 'object' ? '' : String(cause);
  const code = (cause as { code?: unknown }).code;
  const name =
    cause.name === 'Error' || cause.name === '' ? '' : `${cause.name}: `;
  const codeText =
    typeof code === 'string' && !cause.message.includes(code)
      ? ` (${code})`
      : '';
  return `${name}${cause.message}${codeText}`;
}
