import type { CliIo } from '../cli-io.js';
import { write } from '../cli-io.js';
import { parseCommandArgs, usageError, type Command } from '../command.js';

/** The overview printed by `kenos help` and, on stderr, after a usage error. */
export function globalUsage(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `Usage: kenos <command> [flags]

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run 'kenos help <command>' or 'kenos <command> --help' for the flags of a command,
'kenos --version' for the version.
`;
}

/** `kenos help [COMMAND]`: the command list, or one command's usage, on stdout. */
export function helpCommand(commands: () => readonly Command[]): Command {
  return {
    name: 'help',
    summary: 'show this list, or the usage of one command',
    usage: `Usage: kenos help [COMMAND]\n\nPrints the list of commands, or the usage of COMMAND, on stdout.\n`,
    async run(args: string[], io: CliIo): Promise<number> {
      const { positionals } = parseCommandArgs(
        this,
        args,
        {},
        { min: 0, max: 1 },
      );
      const name = positionals[0];
      if (name === undefined) {
        await write(io.stdout, globalUsage(commands()));
        return 0;
      }
      const command = commands().find((c) => c.name === name);
      if (command === undefined)
        throw usageError(this, `unknown command '${name}'`);
      await write(io.stdout, command.usage);
      return 0;
    },
  };
}
