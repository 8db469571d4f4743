import { relative } from 'node:path';
import { write, type CliIo } from '../cli-io.js';
import { parseCommandArgs, type Command } from '../command.js';

const usage = `Usage: kenos bundle [flags]

Builds the production bundle of the service in the current directory (its package
directory) with rolldown: the compiled entry and every module it imports, the @kenos/*
packages included, in one ES module file for Node.js, with a source map next to it
(<out>.map). Packages that read files next to their code or load on demand stay external
and are imported from node_modules at run time. Run the TypeScript build first.
Prints the bundle's path and size on stdout.

Flags:
  --entry FILE   the compiled entry module (default: dist/main.js)
  --out FILE     the bundle to write, in the directory of the entry (default: dist/main.bundle.mjs)
  -h, --help     show this help
`;

/** `1.5 KiB`, `2.81 MiB`. */
function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}

/** `kenos bundle [--entry FILE] [--out FILE]`: the single-file production bundle of a service. */
export const bundleCommand: Command = {
  name: 'bundle',
  summary: 'bundle a built service into one file for production (rolldown)',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseCommandArgs(this, args, {
      entry: { type: 'string' },
      out: { type: 'string' },
    });
    const { bundleService } = await import('../bundle/bundle-service.js');
    const result = await bundleService({
      ...(values.entry === undefined ? {} : { entry: values.entry }),
      ...(values.out === undefined ? {} : { out: values.out }),
    });
    for (const warning of result.warnings)
      await write(io.stderr, `kenos bundle: warning: ${warning}\n`);
    const out = relative(process.cwd(), result.out);
    await write(
      io.stdout,
      `${out} ${size(result.bytes)} (${result.bytes} bytes), source map ${out}.map\n`,
    );
    return 0;
  },
};
