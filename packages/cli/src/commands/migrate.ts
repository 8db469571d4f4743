import { write, type CliIo } from '../cli-io.js';
import { parseCommandArgs, usageError, type Command } from '../command.js';
import {
  migrateService,
  type AppliedMigration,
} from '../migrate/migrate-service.js';
import { isSemver } from '../migrate/semver-version.js';

const usage = `Usage: kenos migrate [DIR] [--to VERSION] [--dry-run]

Brings the service in DIR (default: the current directory) from the template version in its
package.json ("kenos": { "template": "<version>" }) to VERSION: applies, in version order, every
migration shipped with this kenos whose version is above the service's and at most VERSION,
then sets "kenos.template" to VERSION (nothing else in package.json: Renovate or npm moves the
@kenos/* dependencies). Running it again changes nothing. Nothing is written unless every change
could be computed. Prints one line per migration applied, and what is left to do by hand.

Flags:
  --to VERSION  the template version to migrate to (default: the version of this @kenos/cli)
  --dry-run     print a unified diff of every change on stdout (the summary on stderr) and
                write nothing
  -h, --help    show this help
`;

/** `1.0.0 bundle-entry-point: 2 files changed (Dockerfile, …), 1 deleted (src/run.ts)`. */
function describe(m: AppliedMigration): string {
  const parts: string[] = [];
  if (m.changed.length > 0)
    parts.push(
      `${m.changed.length} file${m.changed.length === 1 ? '' : 's'} changed (${m.changed.join(', ')})`,
    );
  if (m.deleted.length > 0)
    parts.push(`${m.deleted.length} deleted (${m.deleted.join(', ')})`);
  let line = `${m.version} ${m.id}: ${parts.length === 0 ? 'no change needed' : parts.join(', ')}\n`;
  for (const step of m.manualSteps) line += `  by hand: ${step}\n`;
  return line;
}

/** `kenos migrate [DIR] [--to VERSION] [--dry-run]`: a service to a newer template version. */
export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'migrate a service to a newer Kenos template version (codemods)',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(
      this,
      args,
      { to: { type: 'string' }, 'dry-run': { type: 'boolean' } },
      { min: 0, max: 1 },
    );
    if (values.to !== undefined && !isSemver(values.to))
      throw usageError(
        this,
        `--to must be a semantic version such as 1.0.0, got '${values.to}'`,
      );
    const dryRun = values['dry-run'] === true;
    const result = await migrateService({
      dir: positionals[0] ?? '.',
      dryRun,
      ...(values.to === undefined ? {} : { to: values.to }),
    });
    const summaryStream = dryRun ? io.stderr : io.stdout;
    if (dryRun) await write(io.stdout, result.diff);
    let summary = result.applied.map(describe).join('');
    summary +=
      result.from === result.to
        ? `kenos.template is ${result.to}: nothing to migrate\n`
        : `kenos.template ${result.from} -> ${result.to}${dryRun ? ' (dry run: nothing written)' : ''}\n`;
    await write(summaryStream, summary);
    return 0;
  },
};
