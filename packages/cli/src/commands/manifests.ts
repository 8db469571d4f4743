import { CliError } from '../cli-error.js';
import { write, type CliIo } from '../cli-io.js';
import { parseCommandArgs, usageError, type Command } from '../command.js';

/** Default DIR of `kenos manifests check`. */
const DEFAULT_DIR = 'deploy/k8s';

const usage = `Usage: kenos manifests check [DIR]

Validates the Kubernetes manifests of DIR (default: ${DEFAULT_DIR}, relative to the current
directory; subdirectories are not read), offline, strictly like 'kubectl apply': every
document of every *.yaml / *.yml file against the Kubernetes 1.36 schema of its apiVersion
and kind (types, required fields, enums, no unknown field), and kustomization.yaml, when
present, against the directory (its resources are exactly the manifests there, each once).

Prints "N documents in M files valid" on stdout and exits 0, or one line per problem on
stderr (file, document index, JSON pointer, what is wrong) and exits 1.

Flags:
  -h, --help     show this help
`;

/** `kenos manifests check [DIR]`: strict offline validation of Kubernetes manifests. */
export const manifestsCommand: Command = {
  name: 'manifests',
  summary: 'check Kubernetes manifests against the Kubernetes schemas, offline',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { positionals } = parseCommandArgs(
      this,
      args,
      {},
      { min: 1, max: 2 },
    );
    const [action = '', dir = DEFAULT_DIR] = positionals;
    if (action !== 'check')
      throw usageError(this, `unknown action '${action}' (check)`);
    const [{ checkManifestDirectory }, { formatManifestProblem }] =
      await Promise.all([
        import('../manifests/check-manifests.js'),
        import('../manifests/manifest-problem.js'),
      ]);
    const { files, documents, problems } = await checkManifestDirectory(dir);
    if (problems.length === 0) {
      await write(
        io.stdout,
        `${documents} ${documents === 1 ? 'document' : 'documents'} in ${files} ${files === 1 ? 'file' : 'files'} valid\n`,
      );
      return 0;
    }
    await write(
      io.stderr,
      problems.map((p) => `${formatManifestProblem(p)}\n`).join(''),
    );
    const failing = new Set(problems.map((p) => p.file)).size;
    throw new CliError(
      'KENOS_ERR_CLI_MANIFESTS_INVALID',
      `${problems.length} ${problems.length === 1 ? 'problem' : 'problems'} in ${failing} ${failing === 1 ? 'file' : 'files'} of ${dir}`,
    );
  },
};
