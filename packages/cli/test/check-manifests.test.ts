import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { checkManifests, formatManifestProblem } from '../src/index.js';

// The strict validation of `kenos manifests check`, on copies of test/fixtures/manifests/valid (the
// manifests of examples/greeter) with one mistake each.
type Doc = Record<string, any>;

const valid = fileURLToPath(
  new URL('./fixtures/manifests/valid/', import.meta.url),
);
const scratch = mkdtempSync(join(tmpdir(), 'kenos-manifests-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let copies = 0;
/** A copy of the valid fixture; `files` replaces (text) or removes (null) files. */
function copyOfValid(files: Record<string, string | null> = {}): string {
  const dir = join(scratch, `copy-${++copies}`);
  cpSync(valid, dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    if (text === null) rmSync(join(dir, name));
    else writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** api-deployment.yaml of the fixture after `edit`, as YAML text. */
function editedApi(edit: (d: Doc) => void): string {
  const d = parse(readFileSync(join(valid, 'api-deployment.yaml'), 'utf8'));
  edit(d);
  return stringify(d);
}

/** The problems of a directory as the lines `kenos manifests check` prints, file names relative to it. */
async function lines(dir: string): Promise<string[]> {
  return (await checkManifests(dir)).map((p) =>
    formatManifestProblem(p).slice(dir.length + 1),
  );
}

const api = 'api-deployment.yaml document 1 (apps/v1 Deployment greeter-api)';

describe('checkManifests against the Kubernetes 1.36 schemas', () => {
  it('finds no problem in the manifests of the example service', async () => {
    expect(await checkManifests(valid)).toEqual([]);
  });

  it('reports an unknown field, such as a typo of terminationGracePeriodSeconds, with its JSON pointer', async () => {
    const dir = copyOfValid({
      'api-deployment.yaml': editedApi((d) => {
        const pod = d['spec']['template']['spec'];
        pod['terminationGracePeriodSecond'] =
          pod['terminationGracePeriodSeconds'];
        delete pod['terminationGracePeriodSeconds'];
        pod['containers'][0]['ports'][0]['hostport'] = 8080;
      }),
    });
    expect(await lines(dir)).toEqual([
      `${api}: /spec/template/spec/containers/0/ports/0/hostport: unknown field (not in the apps/v1 Deployment schema)`,
      `${api}: /spec/template/spec/terminationGracePeriodSecond: unknown field (not in the apps/v1 Deployment schema)`,
    ]);
    expect((await checkManifests(dir))[0]).toEqual({
      file: join(dir, 'api-deployment.yaml'),
      document: 1,
      object: 'apps/v1 Deployment greeter-api',
      pointer: '/spec/template/spec/containers/0/ports/0/hostport',
      message: 'unknown field (not in the apps/v1 Deployment schema)',
    });
  });

  it('validates a PodMonitor against the Prometheus Operator schema, and reports a typo in it', async () => {
    const monitor = parse(
      readFileSync(join(valid, 'pod-monitor.yaml'), 'utf8'),
    ) as Doc;
    monitor['spec']['podMetricsEndpoints'][0]['scrapeTimout'] = '10s';
    const dir = copyOfValid({ 'pod-monitor.yaml': stringify(monitor) });
    expect(await lines(dir)).toEqual([
      'pod-monitor.yaml document 1 (monitoring.coreos.com/v1 PodMonitor greeter): /spec/podMetricsEndpoints/0/scrapeTimout: unknown field (not in the monitoring.coreos.com/v1 PodMonitor schema)',
    ]);
  });

  it('reports a value of the wrong type, such as replicas: "two"', async () => {
    const dir = copyOfValid({
      'api-deployment.yaml': editedApi((d) => (d['spec']['replicas'] = 'two')),
    });
    expect(await lines(dir)).toEqual([
      `${api}: /spec/replicas: must be integer`,
    ]);
  });

  it('reports a value outside an enum, such as protocol: TPC, with the allowed values', async () => {
    const dir = copyOfValid({
      'api-deployment.yaml': editedApi(
        (d) =>
          (d['spec']['template']['spec']['containers'][0]['ports'][0][
            'protocol'
          ] = 'TPC'),
      ),
    });
    expect(await lines(dir)).toEqual([
      `${api}: /spec/template/spec/containers/0/ports/0/protocol: must be equal to one of the allowed values (SCTP, TCP, UDP)`,
    ]);
  });

  it('reports a missing required field, such as a container without name or a Deployment without selector', async () => {
    const dir = copyOfValid({
      'api-deployment.yaml': editedApi((d) => {
        delete d['spec']['template']['spec']['containers'][0]['name'];
        delete d['spec']['selector'];
      }),
    });
    expect(await lines(dir)).toEqual([
      `${api}: /spec: must have required property selector`,
      `${api}: /spec/template/spec/containers/0: must have required property name`,
    ]);
  });

  it('validates each document of a multi-document file and names the one that fails', async () => {
    const service = readFileSync(join(valid, 'service.yaml'), 'utf8');
    const dir = copyOfValid({
      'service.yaml': `${service}---\n${editedApi((d) => (d['spec']['replica'] = 2))}---\n`,
    });
    expect(await lines(dir)).toEqual([
      'service.yaml document 2 (apps/v1 Deployment greeter-api): /spec/replica: unknown field (not in the apps/v1 Deployment schema)',
    ]);
  });

  it('reports a document whose apiVersion or kind has no schema, saying which, and a document that is no object', async () => {
    const dir = copyOfValid({
      'service.yaml': [
        'apiVersion: apps/v9\nkind: Deployment',
        'apiVersion: apps/v1\nkind: Deploymnet\nmetadata: { name: x }',
        'kind: Service',
        'apiVersion: 3',
        'apiVersion: ../../v1\nkind: Service',
        'apiVersion: example.com/v1\nkind: Widget',
        '- a list',
      ].join('\n---\n'),
    });
    expect(await lines(dir)).toEqual([
      'service.yaml document 1 (apps/v9 Deployment): /apiVersion: no Kubernetes schema: unknown apiVersion apps/v9',
      'service.yaml document 2 (apps/v1 Deploymnet x): /kind: no Kubernetes schema: unknown kind "Deploymnet" in apps/v1',
      'service.yaml document 3 (Service): /apiVersion: no Kubernetes schema: apiVersion undefined is missing or malformed',
      'service.yaml document 4 (3): /apiVersion: no Kubernetes schema: apiVersion 3 is missing or malformed',
      'service.yaml document 5 (../../v1 Service): /apiVersion: no Kubernetes schema: apiVersion "../../v1" is missing or malformed',
      'service.yaml document 6 (example.com/v1 Widget): /apiVersion: no Kubernetes schema: unknown apiVersion example.com/v1',
      'service.yaml document 7: /: not a Kubernetes object (a YAML mapping)',
    ]);
  });

  it('reports YAML that does not parse, naming the file, the document and the line', async () => {
    const dir = copyOfValid({
      'pdb.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n---\nkey: [unclosed\n',
    });
    const found = await lines(dir);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      /^pdb\.yaml document 2: \/: YAML Flow sequence .* at line 6, column 1$/,
    );
  });
});

describe('checkManifests and kustomization.yaml', () => {
  const kustomization = (resources: string[], extra = ''): string =>
    `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${extra}resources:\n${resources.map((r) => `  - ${r}\n`).join('')}`;
  const all = [
    'api-deployment.yaml',
    'service.yaml',
    'network-policy.yaml',
    'pdb.yaml',
    'hpa.yaml',
    'worker-deployment.yaml',
    'cronjob.yaml',
    'pod-monitor.yaml',
  ];
  const k = 'kustomization.yaml document 1 (Kustomization)';

  it('reports a manifest of the directory that resources does not list', async () => {
    const dir = copyOfValid({
      'kustomization.yaml': kustomization(all.filter((f) => f !== 'pdb.yaml')),
    });
    expect(await lines(dir)).toEqual([
      `${k}: /resources: does not list pdb.yaml, a manifest of the directory`,
    ]);
  });

  it('reports a resource that does not exist and a resource listed twice', async () => {
    const dir = copyOfValid({
      'kustomization.yaml': kustomization([...all, 'gone.yaml', './hpa.yaml']),
    });
    expect(await lines(dir)).toEqual([
      `${k}: /resources/8: gone.yaml does not exist`,
      `${k}: /resources/9: lists ./hpa.yaml again (already /resources/4)`,
    ]);
  });

  it('reports a field that is no Kustomization field, and a wrong apiVersion or kind', async () => {
    const dir = copyOfValid({
      'kustomization.yaml': kustomization(all, 'namePrefx: demo-\n')
        .replace('v1beta1', 'v1')
        .replace('kind: Kustomization', 'kind: Kustomisation'),
    });
    expect(await lines(dir)).toEqual([
      `${k}: /apiVersion: must be kustomize.config.k8s.io/v1beta1 (or v1alpha1 for a Component), not "kustomize.config.k8s.io/v1"`,
      `${k}: /kind: must be Kustomization or Component, not "Kustomisation"`,
      `${k}: /namePrefx: unknown field (not a Kustomization field)`,
    ]);
  });

  it('takes a patch file for no manifest and accepts remote and directory resources', async () => {
    const dir = copyOfValid({
      'kustomization.yaml': kustomization(
        [...all, 'base', 'https://example.com/app.yaml'],
        'namePrefix: demo-\npatches:\n  - path: replicas-patch.yaml\n',
      ),
      'replicas-patch.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: greeter-api }\nspec: { replicas: 3 }\n',
    });
    mkdirSync(join(dir, 'base'));
    expect(await lines(dir)).toEqual([]);
  });

  it('reports a kustomization.yaml that does not parse, and still validates the manifests', async () => {
    const dir = copyOfValid({
      'kustomization.yaml': 'resources: [api-deployment.yaml\n',
      'hpa.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\ndata: { n: 1 }\n',
    });
    const found = await lines(dir);
    expect(found[0]).toBe(
      'hpa.yaml document 1 (v1 ConfigMap a): /data/n: must be string',
    );
    expect(found[1]).toMatch(
      /^kustomization\.yaml document 1 \(Kustomization\): \/: YAML .*line 2/,
    );
  });

  it('validates every manifest of a directory without kustomization.yaml', async () => {
    const dir = copyOfValid({
      'kustomization.yaml': null,
      'hpa.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\ndata: { n: 1 }\n',
    });
    expect(await lines(dir)).toEqual([
      'hpa.yaml document 1 (v1 ConfigMap a): /data/n: must be string',
    ]);
  });
});

describe('checkManifests on a directory', () => {
  it('reports a directory without manifests', async () => {
    const dir = join(scratch, 'empty');
    mkdirSync(dir);
    expect(await checkManifests(dir)).toEqual([
      {
        file: dir,
        document: undefined,
        object: undefined,
        pointer: '',
        message: 'no Kubernetes manifest (*.yaml, *.yml) in the directory',
      },
    ]);
  });

  it('takes a URL, or a path relative to cwd, and names files as the directory was given', async () => {
    expect(
      await checkManifests(
        new URL('./fixtures/manifests/valid/', import.meta.url),
      ),
    ).toEqual([]);
    const broken = await checkManifests('manifests/broken', {
      cwd: fileURLToPath(new URL('./fixtures/', import.meta.url)),
    });
    expect(broken.map((p) => p.file)).toContain('manifests/broken/app.yaml');
  });

  it('throws KENOS_ERR_CLI_INPUT for a directory that does not exist or is a file', async () => {
    await expect(checkManifests(join(scratch, 'nope'))).rejects.toMatchObject({
      code: 'KENOS_ERR_CLI_INPUT',
      message: `cannot read the manifest directory ${join(scratch, 'nope')}`,
    });
    await expect(
      checkManifests(join(valid, 'service.yaml')),
    ).rejects.toMatchObject({
      code: 'KENOS_ERR_CLI_INPUT',
      message: `${join(valid, 'service.yaml')} is a file, not a directory of Kubernetes manifests`,
    });
  });
});
