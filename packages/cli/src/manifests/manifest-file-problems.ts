import { parseAllDocuments } from 'yaml';
import { kubernetesModel } from './kubernetes-model.js';
import type { ManifestProblem } from './manifest-problem.js';
import { schemaProblems } from './schema-problems.js';

/** The first line of a YAML error message, without the excerpt of the source that follows it. */
export const firstLine = (message: string): string =>
  (message.split('\n')[0] ?? '').replace(/:\s*$/, '');

/** `apps/v1 Deployment greeter-api`, as far as the document has them; `undefined` when it has none. */
function objectLabel(doc: Record<string, unknown>): string | undefined {
  const metadata = doc['metadata'] as
    | Record<string, unknown>
    | null
    | undefined;
  const name =
    metadata !== null && typeof metadata === 'object'
      ? metadata['name']
      : undefined;
  const parts = [doc['apiVersion'], doc['kind'], name]
    .filter((part) => part !== undefined && part !== null)
    .map((part) => (typeof part === 'string' ? part : JSON.stringify(part)));
  return parts.length === 0 ? undefined : parts.join(' ');
}

/**
 * Every problem of every document of one manifest file: YAML errors, a document that is no
 * object, no schema for its apiVersion and kind, schema violations and unknown fields. An empty
 * document (a trailing `---`) is skipped, as kubectl does, and not counted.
 */
export async function manifestFileProblems(
  file: string,
  text: string,
): Promise<{ documents: number; problems: ManifestProblem[] }> {
  const problems: ManifestProblem[] = [];
  let documents = 0;
  for (const [i, parsed] of parseAllDocuments(text).entries()) {
    const where = { file, document: i + 1 };
    if (parsed.errors.length > 0) {
      for (const e of parsed.errors)
        problems.push({
          ...where,
          object: undefined,
          pointer: '',
          message: `YAML ${firstLine(e.message)}`,
        });
      continue;
    }
    const doc = parsed.toJS() as unknown;
    if (doc === null) continue;
    documents++;
    if (typeof doc !== 'object' || Array.isArray(doc)) {
      problems.push({
        ...where,
        object: undefined,
        pointer: '',
        message: 'not a Kubernetes object (a YAML mapping)',
      });
      continue;
    }
    const fields = doc as Record<string, unknown>;
    const object = objectLabel(fields);
    const found = await kubernetesModel(fields['apiVersion'], fields['kind']);
    const documentProblems =
      'problem' in found ? [found.problem] : schemaProblems(doc, found.model);
    for (const p of documentProblems) problems.push({ ...where, object, ...p });
  }
  return { documents, problems };
}
