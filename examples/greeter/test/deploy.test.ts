import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// Consistency of the deployment files with the service and the shutdown contract.
// Their validity against the Kubernetes 1.36 schemas is checked in k8s-schema.test.ts.
type Doc = Record<string, any>;
const read = (name: string): Doc =>
  parse(
    readFileSync(
      new URL(`../deploy/k8s/${name}.yaml`, import.meta.url),
      'utf8',
    ),
  ) as Doc;
const env = (container: Doc, name: string): number | undefined => {
  const v = (container['env'] as Doc[]).find((e) => e['name'] === name)?.[
    'value'
  ];
  return v === undefined ? undefined : Number(v);
};

describe('Kubernetes manifests', () => {
  const api = read('api-deployment');
  const worker = read('worker-deployment');
  const cron = read('cronjob');
  const apiPod = api['spec']['template']['spec'];
  const apiContainer = apiPod['containers'][0];

  it('probe the api on the admin port: startup and readiness on /ready, liveness on /live', () => {
    expect(apiContainer['startupProbe']['httpGet']).toEqual({
      path: '/ready',
      port: 'admin',
    });
    expect(apiContainer['readinessProbe']['httpGet']).toEqual({
      path: '/ready',
      port: 'admin',
    });
    expect(apiContainer['livenessProbe']['httpGet']).toEqual({
      path: '/live',
      port: 'admin',
    });
    expect(apiContainer['ports']).toContainEqual({
      name: 'admin',
      containerPort: 9000,
      protocol: 'TCP',
    });
  });

  it('give the api pod a termination grace period above shutdown delay + timeout', () => {
    const delay = env(apiContainer, 'SHUTDOWN_DELAY_MS') ?? 5000;
    const timeout = env(apiContainer, 'SHUTDOWN_TIMEOUT_MS') ?? 30000;
    expect(apiPod['terminationGracePeriodSeconds'] * 1000).toBeGreaterThan(
      delay + timeout,
    );
  });

  it('give the worker a grace period above its shutdown timeout', () => {
    const pod = worker['spec']['template']['spec'];
    expect(pod['terminationGracePeriodSeconds'] * 1000).toBeGreaterThan(
      env(pod['containers'][0], 'SHUTDOWN_TIMEOUT_MS') ?? 30000,
    );
  });

  it('start each workload with a component the service offers', () => {
    expect(apiContainer['args']).toEqual(['api']);
    expect(worker['spec']['template']['spec']['containers'][0]['args']).toEqual(
      ['worker:greetings'],
    );
    expect(
      cron['spec']['jobTemplate']['spec']['template']['spec']['containers'][0][
        'args'
      ],
    ).toEqual(['batch:daily-report']);
  });

  it('never expose the admin port through the Service', () => {
    const ports = (read('service')['spec']['ports'] as Doc[]).map(
      (p) => p['targetPort'],
    );
    expect(ports).toEqual(['http', 'grpc']);
  });

  it('run every container as non-root with a read-only root filesystem', () => {
    for (const pod of [
      apiPod,
      worker['spec']['template']['spec'],
      cron['spec']['jobTemplate']['spec']['template']['spec'],
    ]) {
      expect(pod['securityContext']['runAsNonRoot']).toBe(true);
      expect(pod['containers'][0]['securityContext']).toMatchObject({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
      });
    }
  });

  it('fail the CronJob at once on exit code 78 (invalid config) instead of retrying', () => {
    const rules = cron['spec']['jobTemplate']['spec']['podFailurePolicy'][
      'rules'
    ] as Doc[];
    expect(rules).toContainEqual({
      action: 'FailJob',
      onExitCodes: { containerName: 'greeter', operator: 'In', values: [78] },
    });
  });

  describe('the NetworkPolicy', () => {
    const policy = read('network-policy');
    const rules = policy['spec']['ingress'] as Doc[];
    const admits = (rule: Doc, port: string | number): boolean =>
      (rule['ports'] as Doc[]).some((p) => p['port'] === port);
    const selects = (labels: Doc): boolean =>
      Object.entries(policy['spec']['podSelector']['matchLabels'] as Doc).every(
        ([k, v]) => labels[k] === v,
      );

    it('selects the api, worker and batch pods and filters their ingress', () => {
      expect(policy['spec']['policyTypes']).toEqual(['Ingress']);
      expect(selects(api['spec']['template']['metadata']['labels'])).toBe(true);
      expect(selects(worker['spec']['template']['metadata']['labels'])).toBe(
        true,
      );
      expect(
        selects(
          cron['spec']['jobTemplate']['spec']['template']['metadata']['labels'],
        ),
      ).toBe(true);
    });

    it('keeps the ports of the Service open to every client', () => {
      for (const port of read('service')['spec']['ports'] as Doc[]) {
        expect(
          rules.some(
            (r) => r['from'] === undefined && admits(r, port['targetPort']),
          ),
        ).toBe(true);
      }
    });

    it('admits the admin port only from the Prometheus pods of the monitoring namespace, never from all', () => {
      const admin = rules.filter((r) => admits(r, 'admin') || admits(r, 9000));
      expect(admin).toHaveLength(1);
      expect(admin[0]?.['from']).toEqual([
        {
          namespaceSelector: {
            matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' },
          },
          podSelector: {
            matchLabels: { 'app.kubernetes.io/name': 'prometheus' },
          },
        },
      ]);
      // a rule without ports would admit every port, the admin port included
      expect(
        rules.every((r) => Array.isArray(r['ports']) && r['ports'].length > 0),
      ).toBe(true);
    });

    it('names ports that every selected pod declares by those names', () => {
      const named = (pod: Doc): string[] =>
        (pod['containers'][0]['ports'] as Doc[]).map(
          (p) => p['name'] as string,
        );
      expect(named(apiPod)).toEqual(
        expect.arrayContaining(['http', 'grpc', 'admin']),
      );
      expect(named(worker['spec']['template']['spec'])).toContain('admin');
      expect(
        named(cron['spec']['jobTemplate']['spec']['template']['spec']),
      ).toContain('admin');
    });
  });

  it('hand the api and the worker the admin token from a Secret, optional', () => {
    for (const pod of [apiPod, worker['spec']['template']['spec']]) {
      const token = (pod['containers'][0]['env'] as Doc[]).find(
        (e) => e['name'] === 'ADMIN_TOKEN',
      );
      expect(token?.['valueFrom']['secretKeyRef']).toEqual({
        name: 'greeter-secrets',
        key: 'admin-token',
        optional: true,
      });
    }
  });

  it('hand the api and the worker the queue URL from a Secret, required', () => {
    for (const pod of [apiPod, worker['spec']['template']['spec']]) {
      const url = (pod['containers'][0]['env'] as Doc[]).find(
        (e) => e['name'] === 'REDIS_URL',
      );
      expect(url?.['valueFrom']['secretKeyRef']).toEqual({
        name: 'greeter-queue',
        key: 'url',
      });
    }
  });

  it('let the PodMonitor scrape the admin port of the api, worker and batch pods', () => {
    const monitor = read('pod-monitor');
    const wanted = monitor['spec']['selector']['matchLabels'] as Record<
      string,
      string
    >;
    expect(monitor['spec']['podMetricsEndpoints'][0]).toMatchObject({
      port: 'admin',
      path: '/metrics',
    });
    for (const template of [
      api['spec']['template'],
      worker['spec']['template'],
      cron['spec']['jobTemplate']['spec']['template'],
    ]) {
      expect(template['metadata']['labels']).toMatchObject(wanted);
      const ports = (template['spec']['containers'][0]['ports'] as Doc[]).map(
        (p) => p['name'],
      );
      expect(ports).toContain('admin');
    }
  });

  it('point the PDB and HPA at the api Deployment', () => {
    expect(read('pdb')['spec']['selector']['matchLabels']).toEqual(
      api['spec']['selector']['matchLabels'],
    );
    expect(read('hpa')['spec']['scaleTargetRef']).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: api['metadata']['name'],
    });
  });

  it('build a non-root image whose entry point is the bundle that npm run build writes, dist/main.bundle.mjs', () => {
    const dockerfile = readFileSync(
      new URL('../Dockerfile', import.meta.url),
      'utf8',
    );
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(
      /^ENTRYPOINT \["node", "dist\/main\.bundle\.mjs"\]$/m,
    );
    expect(dockerfile).toMatch(/^RUN npm run build\b/m);
    expect(dockerfile).toMatch(/NODE_COMPILE_CACHE=\/tmp\//);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
  });
});
