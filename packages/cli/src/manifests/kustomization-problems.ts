import { existsSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { DocumentProblem } from './kubernetes-model.js';
import { firstLine } from './manifest-file-problems.js';

/** The file names kustomize reads in a directory, in its order. */
export const KUSTOMIZATION_FILES = [
  'kustomization.yaml',
  'kustomization.yml',
  'Kustomization',
] as const;

/** The top-level fields of a kustomize Kustomization (kustomize v5, `api/types/kustomization.go`). */
const KUSTOMIZATION_FIELDS = new Set([
  'apiVersion',
  'kind',
  'metadata',
  'openapi',
  'namePrefix',
  'nameSuffix',
  'namespace',
  'commonLabels',
  'labels',
  'commonAnnotations',
  'patchesStrategicMerge',
  'patchesJson6902',
  'patches',
  'images',
  'imageTags',
  'replacements',
  'replicas',
  'vars',
  'sortOptions',
  'resources',
  'crds',
  'bases',
  'components',
  'configMapGenerator',
  'secretGenerator',
  'helmGlobals',
  'helmCharts',
  'helmChartInflationGenerator',
  'generatorOptions',
  'configurations',
  'generators',
  'transformers',
  'validators',
  'buildMetadata',
  'inventory',
]);

/** A resource that kustomize fetches (a URL, a git repository), not a path in the directory. */
const isRemote = (entry: string): boolean =>
  /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) ||
  /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(entry) ||
  entry.includes('?ref=');

/** The strings of a list field; other entries are ignored. */
const strings = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];

/** The `path` of each object of a list field. */
const paths = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.flatMap((item: unknown) => {
        const path = (item as { path?: unknown } | null)?.path;
        return typeof path === 'string' ? [path] : [];
      })
    : [];

/** What a Kustomization says about the files of its directory. */
export interface KustomizationReport {
  /** Problems of the Kustomization document, with JSON pointers into it. */
  readonly problems: DocumentProblem[];
  /** The local resources it lists, normalized (`./a.yaml` → `a.yaml`). */
  readonly resources: ReadonlySet<string>;
  /** Files it uses as patches, replacements or configuration: no Kubernetes objects, not checked against a schema. */
  readonly otherFiles: ReadonlySet<string>;
}

/**
 * Checks a kustomization file of `dir`: a YAML mapping of Kustomization (or Component) fields
 * only, `resources` a list of paths, each listed once, each local one existing.
 */
export function kustomizationReport(
  dir: string,
  text: string,
): KustomizationReport {
  const problems: DocumentProblem[] = [];
  const resources = new Set<string>();
  const otherFiles = new Set<string>();
  const documents = parseAllDocuments(text);
  const first = documents[0];
  const errors = documents.flatMap((d) => d.errors);
  if (errors.length > 0 || first === undefined) {
    for (const e of errors)
      problems.push({
        pointer: '',
        message: `YAML ${firstLine(e.message)}`,
      });
    if (first === undefined)
      problems.push({ pointer: '', message: 'empty kustomization' });
    return { problems, resources, otherFiles };
  }
  const doc = first.toJS() as unknown;
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    problems.push({
      pointer: '',
      message: 'not a Kustomization (a YAML mapping)',
    });
    return { problems, resources, otherFiles };
  }
  const k = doc as Record<string, unknown>;
  if (
    k['apiVersion'] !== undefined &&
    ![
      'kustomize.config.k8s.io/v1beta1',
      'kustomize.config.k8s.io/v1alpha1',
    ].includes(k['apiVersion'] as string)
  )
    problems.push({
      pointer: '/apiVersion',
      message: `must be kustomize.config.k8s.io/v1beta1 (or v1alpha1 for a Component), not ${JSON.stringify(k['apiVersion'])}`,
    });
  if (
    k['kind'] !== undefined &&
    !['Kustomization', 'Component'].includes(k['kind'] as string)
  )
    problems.push({
      pointer: '/kind',
      message: `must be Kustomization or Component, not ${JSON.stringify(k['kind'])}`,
    });
  for (const key of Object.keys(k))
    if (!KUSTOMIZATION_FIELDS.has(key))
      problems.push({
        pointer: `/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`,
        message: 'unknown field (not a Kustomization field)',
      });

  const listed = k['resources'];
  if (listed !== undefined && !Array.isArray(listed))
    problems.push({
      pointer: '/resources',
      message: 'must be a list of paths',
    });
  const seen = new Map<string, number>();
  for (const [i, entry] of (Array.isArray(listed) ? listed : []).entries()) {
    const pointer = `/resources/${i}`;
    if (typeof entry !== 'string' || entry === '') {
      problems.push({ pointer, message: 'must be a path' });
      continue;
    }
    if (isRemote(entry)) continue;
    const path = normalize(entry);
    const before = seen.get(path);
    if (before !== undefined)
      problems.push({
        pointer,
        message: `lists ${entry} again (already /resources/${before})`,
      });
    else seen.set(path, i);
    resources.add(path);
    if (!existsSync(join(dir, path)))
      problems.push({ pointer, message: `${entry} does not exist` });
  }

  // files kustomize reads as something other than resources
  const generators = [k['configMapGenerator'], k['secretGenerator']].flatMap(
    (list) =>
      Array.isArray(list)
        ? list.flatMap((g: unknown) => {
            const gen = (g ?? {}) as Record<string, unknown>;
            return [
              ...strings(gen['files']).map((f) => f.slice(f.indexOf('=') + 1)),
              ...strings(gen['envs']),
              ...(typeof gen['env'] === 'string' ? [gen['env']] : []),
            ];
          })
        : [],
  );
  for (const file of [
    ...strings(k['patchesStrategicMerge']).filter((p) => !p.includes('\n')),
    ...paths(k['patches']),
    ...paths(k['patchesJson6902']),
    ...paths(k['replacements']),
    ...strings(k['configurations']),
    ...strings(k['crds']),
    ...strings(k['transformers']),
    ...strings(k['generators']),
    ...strings(k['validators']),
    ...generators,
  ])
    otherFiles.add(normalize(file));
  return { problems, resources, otherFiles };
}
