import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError } from '../cli-error.js';
import {
  KUSTOMIZATION_FILES,
  kustomizationReport,
} from './kustomization-problems.js';
import { manifestFileProblems } from './manifest-file-problems.js';
import type { ManifestProblem } from './manifest-problem.js';

/** Options of {@link checkManifests}. */
export interface CheckManifestsOptions {
  /** The directory a relative `dir` is resolved against. Default `process.cwd()`. */
  cwd?: string;
}

/** What {@link checkManifestDirectory} looked at and found. */
export interface ManifestCheck {
  /** Manifest files checked against the Kubernetes schemas (the kustomization file not counted). */
  readonly files: number;
  /** Non-empty YAML documents in them. */
  readonly documents: number;
  /** The problems, as {@link checkManifests} resolves to. */
  readonly problems: ManifestProblem[];
}

/** `deploy/k8s` + `a.yaml`, keeping the directory as the caller wrote it. */
const fileName = (dir: string, name: string): string =>
  dir === '' || dir === '.' ? name : join(dir, name);

/** {@link checkManifests}, with the number of files and documents checked. */
export async function checkManifestDirectory(
  dir: string | URL,
  options: CheckManifestsOptions = {},
): Promise<ManifestCheck> {
  const shown = dir instanceof URL ? fileURLToPath(dir) : dir;
  const path = resolve(options.cwd ?? process.cwd(), shown);
  const names = await readdir(path, { withFileTypes: true }).catch(
    async (cause: NodeJS.ErrnoException) => {
      const isFile = await stat(path).then(
        (s) => s.isFile(),
        () => false,
      );
      throw new CliError(
        'KENOS_ERR_CLI_INPUT',
        isFile
          ? `${shown} is a file, not a directory of Kubernetes manifests`
          : `cannot read the manifest directory ${shown}`,
        { cause },
      );
    },
  );
  const yamlFiles = names
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => e.name)
    .sort();
  const kustomizationName = KUSTOMIZATION_FILES.find((k) =>
    names.some((e) => e.isFile() && e.name === k),
  );
  let manifests = yamlFiles.filter(
    (f) => !(KUSTOMIZATION_FILES as readonly string[]).includes(f),
  );
  const kustomizationProblems: ManifestProblem[] = [];
  if (kustomizationName !== undefined) {
    const report = kustomizationReport(
      path,
      await readFile(join(path, kustomizationName), 'utf8'),
    );
    manifests = manifests.filter((f) => !report.otherFiles.has(f));
    const where = {
      file: fileName(shown, kustomizationName),
      document: 1,
      object: 'Kustomization',
    };
    for (const p of report.problems)
      kustomizationProblems.push({ ...where, ...p });
    for (const f of manifests)
      if (!report.resources.has(f))
        kustomizationProblems.push({
          ...where,
          pointer: '/resources',
          message: `does not list ${f}, a manifest of the directory`,
        });
  }

  const problems: ManifestProblem[] = [];
  let documents = 0;
  for (const name of manifests) {
    const text = await readFile(join(path, name), 'utf8');
    const found = await manifestFileProblems(fileName(shown, name), text);
    documents += found.documents;
    problems.push(...found.problems);
  }
  problems.push(...kustomizationProblems);
  if (manifests.length === 0)
    problems.push({
      file: shown,
      document: undefined,
      object: undefined,
      pointer: '',
      message: 'no Kubernetes manifest (*.yaml, *.yml) in the directory',
    });
  return { files: manifests.length, documents, problems };
}

/**
 * Validates the Kubernetes manifests of a directory (not its subdirectories) and resolves to
 * the list of problems, empty when every manifest is valid. Every document of every `*.yaml` /
 * `*.yml` file is validated strictly, like `kubectl apply`, against the Kubernetes 1.36 schema
 * of its apiVersion and kind (from `kubernetes-models`, installed with @kenos/cli: nothing is
 * downloaded): types, required fields, enums, and no field the schema does not declare (a
 * typo). A kustomization file, when present, must hold Kustomization fields only and list as
 * `resources` exactly the manifests of the directory, each once (files it uses as patches or
 * configuration are no manifests). Built-in kinds only: a custom resource has no schema and is
 * a problem.
 *
 * Throws {@link CliError} `KENOS_ERR_CLI_INPUT` when `dir` is no readable directory.
 */
export async function checkManifests(
  dir: string | URL,
  options: CheckManifestsOptions = {},
): Promise<ManifestProblem[]> {
  return (await checkManifestDirectory(dir, options)).problems;
}
