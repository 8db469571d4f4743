import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments, stringify } from 'yaml';

// Every document of every manifest in deploy/k8s is validated against the Kubernetes schema of its apiVersion/kind.
// The schemas come from `kubernetes-models` (the Kubernetes 1.36 OpenAPI compiled into one ajv validator per kind),
// installed by `npm ci`: nothing is downloaded at test time. Validation is strict, like `kubectl apply`: besides types,
// required fields and enums, a field the schema does not declare (a typo) is an error. kubernetes-models' validators
// accept unknown fields, so the test records which properties the validator looks up on each object (it looks up every
// property its schema declares) and reports any other key; an object whose keys the validator enumerates is a map
// (labels, resources) and takes any key. kustomization.yaml is no API object and no package ships a kustomize schema:
// its `resources` are checked against the directory instead.

type Doc = Record<string, any>;
interface Model {
  apiVersion: string;
  kind: string;
  prototype: { validate(this: unknown): void };
}

const dir = new URL('../deploy/k8s/', import.meta.url);
const read = (file: string): string => readFileSync(new URL(file, dir), 'utf8');
const manifests = readdirSync(dir)
  .filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml')
  .sort();

/** The kubernetes-models class of an apiVersion/kind; throws a clear error when there is none. */
async function modelOf(apiVersion: unknown, kind: unknown): Promise<Model> {
  if (
    typeof apiVersion !== 'string' ||
    !/^([a-z0-9.-]+\/)?v\d+((alpha|beta)\d+)?$/.test(apiVersion)
  ) {
    throw new Error(
      `no Kubernetes schema: apiVersion ${JSON.stringify(apiVersion)} is missing or malformed`,
    );
  }
  let models: Record<string, unknown>;
  try {
    models = (await import(`kubernetes-models/${apiVersion}`)) as Record<
      string,
      unknown
    >;
  } catch {
    throw new Error(`no Kubernetes schema: unknown apiVersion ${apiVersion}`);
  }
  const model =
    typeof kind === 'string'
      ? (models[kind] as Partial<Model> | undefined)
      : undefined;
  if (model?.apiVersion !== apiVersion || model.kind !== kind) {
    throw new Error(
      `no Kubernetes schema: unknown kind ${JSON.stringify(kind)} in ${apiVersion}`,
    );
  }
  return model as Model;
}

/** Schema violations and undeclared fields of one document, each as `<JSON pointer>: <problem>`. */
function schemaProblems(doc: Doc, model: Model): string[] {
  const declared = new Map<string, Set<string>>(); // object path -> properties the validator looked up
  const maps = new Set<string>(); // object paths whose keys the validator enumerated
  const watch = (value: unknown, path: string): unknown =>
    value === null || typeof value !== 'object'
      ? value
      : new Proxy(value, {
          get(target, key, receiver) {
            if (typeof key !== 'string')
              return Reflect.get(target, key, receiver);
            declared.set(path, (declared.get(path) ?? new Set()).add(key));
            return watch(Reflect.get(target, key, receiver), `${path}/${key}`);
          },
          ownKeys(target) {
            maps.add(path);
            return Reflect.ownKeys(target);
          },
        });

  const problems: string[] = [];
  try {
    model.prototype.validate.call(watch(doc, ''));
  } catch (error) {
    const errors = (
      error as {
        errors?: { instancePath: string; message?: string; params?: Doc }[];
      }
    ).errors;
    if (!Array.isArray(errors)) throw error;
    for (const e of errors) {
      const allowed = e.params?.['allowedValues'] as unknown[] | undefined;
      problems.push(
        `${e.instancePath || '/'}: ${e.message ?? 'invalid'}${allowed ? ` (${allowed.join(', ')})` : ''}`,
      );
    }
  }
  const undeclared = (value: unknown, path: string): void => {
    if (value === null || typeof value !== 'object') return;
    if (Array.isArray(value))
      return value.forEach((item, i) => undeclared(item, `${path}/${i}`));
    if (maps.has(path)) return;
    for (const [key, child] of Object.entries(value)) {
      if (declared.get(path)?.has(key)) undeclared(child, `${path}/${key}`);
      else
        problems.push(
          `${path}/${key}: unknown field (not in the ${model.apiVersion} ${model.kind} schema)`,
        );
    }
  };
  undeclared(doc, '');
  return problems;
}

/** The problems of every document of a manifest file, each naming the file, the document and the path. */
async function manifestProblems(
  file: string,
  text: string,
): Promise<{ documents: number; problems: string[] }> {
  const problems: string[] = [];
  let documents = 0;
  for (const [i, parsed] of parseAllDocuments(text).entries()) {
    const where = `${file} document ${i + 1}`;
    if (parsed.errors.length > 0) {
      problems.push(...parsed.errors.map((e) => `${where}: YAML ${e.message}`));
      continue;
    }
    const doc = parsed.toJS() as unknown;
    if (doc === null) continue; // an empty document (a trailing `---`) is no object; kubectl skips it too
    documents++;
    if (typeof doc !== 'object' || Array.isArray(doc)) {
      problems.push(`${where}: not a Kubernetes object`);
      continue;
    }
    const { apiVersion, kind, metadata } = doc as Doc;
    const label = `${where} (${String(apiVersion)} ${String(kind)} ${String(metadata?.['name'])})`;
    try {
      const model = await modelOf(apiVersion, kind);
      problems.push(
        ...schemaProblems(doc as Doc, model).map((p) => `${label}: ${p}`),
      );
    } catch (error) {
      problems.push(`${label}: ${(error as Error).message}`);
    }
  }
  return { documents, problems };
}

/** api-deployment.yaml after `edit`, as YAML text. */
const editedApi = (edit: (d: Doc) => void): string => {
  const d = parse(read('api-deployment.yaml')) as Doc;
  edit(d);
  return stringify(d);
};
const apiLabel =
  'api-deployment.yaml document 1 (apps/v1 Deployment greeter-api)';

describe('Kubernetes manifests against the Kubernetes 1.36 schemas', () => {
  it('find the seven manifests of the example', () => {
    expect(manifests).toEqual([
      'api-deployment.yaml',
      'cronjob.yaml',
      'hpa.yaml',
      'network-policy.yaml',
      'pdb.yaml',
      'service.yaml',
      'worker-deployment.yaml',
    ]);
  });

  it.each(manifests)(
    '%s: every document matches the schema of its apiVersion and kind, with no unknown field',
    async (file) => {
      const { documents, problems } = await manifestProblems(file, read(file));
      expect(problems).toEqual([]);
      expect(documents).toBeGreaterThan(0);
    },
  );

  it('reject an unknown field, such as a typo of terminationGracePeriodSeconds', async () => {
    const text = editedApi((d) => {
      const pod = d['spec']['template']['spec'];
      pod['terminationGracePeriodSecond'] =
        pod['terminationGracePeriodSeconds'];
      delete pod['terminationGracePeriodSeconds'];
      d['spec']['template']['spec']['containers'][0]['ports'][0]['hostport'] =
        8080;
    });
    expect(
      (await manifestProblems('api-deployment.yaml', text)).problems,
    ).toEqual([
      `${apiLabel}: /spec/template/spec/containers/0/ports/0/hostport: unknown field (not in the apps/v1 Deployment schema)`,
      `${apiLabel}: /spec/template/spec/terminationGracePeriodSecond: unknown field (not in the apps/v1 Deployment schema)`,
    ]);
  });

  it('reject a value of the wrong type, such as replicas: "two"', async () => {
    const text = editedApi((d) => (d['spec']['replicas'] = 'two'));
    expect(
      (await manifestProblems('api-deployment.yaml', text)).problems,
    ).toEqual([`${apiLabel}: /spec/replicas: must be integer`]);
  });

  it('reject a value outside an enum, such as protocol: TPC', async () => {
    const text = editedApi(
      (d) =>
        (d['spec']['template']['spec']['containers'][0]['ports'][0][
          'protocol'
        ] = 'TPC'),
    );
    expect(
      (await manifestProblems('api-deployment.yaml', text)).problems,
    ).toEqual([
      `${apiLabel}: /spec/template/spec/containers/0/ports/0/protocol: must be equal to one of the allowed values (SCTP, TCP, UDP)`,
    ]);
  });

  it('reject a missing required field, such as a container without name or a Deployment without selector', async () => {
    const text = editedApi((d) => {
      delete d['spec']['template']['spec']['containers'][0]['name'];
      delete d['spec']['selector'];
    });
    expect(
      (await manifestProblems('api-deployment.yaml', text)).problems,
    ).toEqual([
      `${apiLabel}: /spec: must have required property selector`,
      `${apiLabel}: /spec/template/spec/containers/0: must have required property name`,
    ]);
  });

  it('validate each document of a multi-document file and name the one that fails', async () => {
    const text = `${read('service.yaml')}---\n${editedApi((d) => (d['spec']['replica'] = 2))}---\n`;
    expect(await manifestProblems('all.yaml', text)).toEqual({
      documents: 2,
      problems: [
        'all.yaml document 2 (apps/v1 Deployment greeter-api): /spec/replica: unknown field (not in the apps/v1 Deployment schema)',
      ],
    });
  });

  it('fail a document whose apiVersion or kind has no schema, saying which', async () => {
    const text = [
      'apiVersion: apps/v9\nkind: Deployment',
      'apiVersion: apps/v1\nkind: Deploymnet',
      'kind: Service',
      'apiVersion: 3',
    ].join('\n---\n');
    expect((await manifestProblems('x.yaml', text)).problems).toEqual([
      'x.yaml document 1 (apps/v9 Deployment undefined): no Kubernetes schema: unknown apiVersion apps/v9',
      'x.yaml document 2 (apps/v1 Deploymnet undefined): no Kubernetes schema: unknown kind "Deploymnet" in apps/v1',
      'x.yaml document 3 (undefined Service undefined): no Kubernetes schema: apiVersion undefined is missing or malformed',
      'x.yaml document 4 (3 undefined undefined): no Kubernetes schema: apiVersion 3 is missing or malformed',
    ]);
  });
});

describe('kustomization.yaml', () => {
  const kustomization = parse(read('kustomization.yaml')) as Doc;

  it('is a kustomize Kustomization with resources only', () => {
    expect(kustomization).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: expect.any(Array),
    });
  });

  it('list exactly the manifests of its directory as resources, each once', () => {
    const resources = kustomization['resources'] as string[];
    expect([...resources].sort()).toEqual(manifests);
    expect(new Set(resources).size).toBe(resources.length);
  });
});
