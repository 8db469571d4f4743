/** One problem `checkManifests` found in a Kubernetes manifest directory. */
export interface ManifestProblem {
  /** The file: the checked directory as given, joined with the file name (`deploy/k8s/api-deployment.yaml`). */
  readonly file: string;
  /** 1-based index of the YAML document in the file; `undefined` for a problem of the directory itself. */
  readonly document: number | undefined;
  /** `apiVersion kind name` of the document, as far as it has them (`apps/v1 Deployment greeter-api`). */
  readonly object: string | undefined;
  /** JSON pointer (RFC 6901) of the wrong value in the document (`/spec/replicas`); `''` for the whole document. */
  readonly pointer: string;
  /** What is wrong (`must be integer`). */
  readonly message: string;
}

/**
 * One line naming the file, the document, the object and the JSON pointer:
 * `deploy/k8s/api-deployment.yaml document 1 (apps/v1 Deployment greeter-api): /spec/replicas: must be integer`
 * (`/` for the whole document; a problem of the directory has no document and no pointer).
 */
export function formatManifestProblem(problem: ManifestProblem): string {
  const document =
    problem.document === undefined ? '' : ` document ${problem.document}`;
  const object = problem.object === undefined ? '' : ` (${problem.object})`;
  const pointer =
    problem.document === undefined ? '' : ` ${problem.pointer || '/'}:`;
  return `${problem.file}${document}${object}:${pointer} ${problem.message}`;
}

/** Escapes one reference token of a JSON pointer (`~` and `/`). */
export function pointerToken(key: string | number): string {
  return String(key).replaceAll('~', '~0').replaceAll('/', '~1');
}
