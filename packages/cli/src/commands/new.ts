import { write, type CliIo } from '../cli-io.js';
import { parseCommandArgs, type Command } from '../command.js';
import { generateService } from '../new/generate-service.js';

const usage = `Usage: kenos new DIR [--name NAME]

Creates a new service in DIR from the Kenos service template: REST and gRPC with one sample
use case, a worker and a batch, config and encrypted development secrets (with a new local
development key), tests, a Dockerfile, Kubernetes manifests, Renovate and CI settings.
DIR must not exist or be empty. Nothing is written unless everything is.

Flags:
  --name NAME   the service name (default: the last segment of DIR): lowercase letters,
                digits and '-', a letter first, at most 39 characters (it names Kubernetes
                objects, the longest being the CronJob NAME-daily-report)
  -h, --help    show this help

Then: cd DIR && npm install && npm test && npm start
`;

/** `kenos new DIR [--name NAME]`: a new service from the template. */
export const newCommand: Command = {
  name: 'new',
  summary: 'create a new service from the Kenos service template',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(
      this,
      args,
      { name: { type: 'string' } },
      { min: 1, max: 1 },
    );
    const created = await generateService({
      dir: positionals[0] as string,
      ...(values.name === undefined ? {} : { name: values.name }),
    });
    await write(
      io.stdout,
      `created service ${created.name} in ${created.dir} (${created.files.length} files; development key ${created.keyId})\n\nNext:\n  cd ${created.dir}\n  npm install\n  npm test\n  npm start\n`,
    );
    return 0;
  },
};
