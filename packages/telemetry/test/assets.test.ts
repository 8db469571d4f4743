import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildAlertRules,
  buildDashboard,
  buildPodMonitor,
  dashboardQueries,
  renderObservabilityAssets,
  resolveDashboardQuery,
  toYaml,
  type AlertingRule,
} from '../src/assets.js';
import { KENOS_METRICS, RUNTIME_METRICS } from '../src/index.js';

const assetsDir = new URL('../assets/', import.meta.url);

/** Metric names a query may use: the catalog (with histogram suffixes), runtime metrics, kube-state-metrics and `up`. */
function knownMetricNames(): Set<string> {
  const names = new Set<string>(['up', 'kube_pod_status_ready']);
  for (const spec of Object.values(KENOS_METRICS)) {
    names.add(spec.name);
    if (spec.type === 'histogram')
      for (const s of ['_bucket', '_sum', '_count']) names.add(spec.name + s);
  }
  for (const name of Object.values(RUNTIME_METRICS)) {
    names.add(name);
    for (const s of ['_bucket', '_sum', '_count']) names.add(name + s);
  }
  return names;
}

/** Identifiers in a PromQL expression that name metrics (followed by a selector, a range or nothing). */
function metricNamesIn(expr: string): string[] {
  const withoutStrings = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const keywords = new Set([
    'sum',
    'by',
    'rate',
    'histogram_quantile',
    'max',
    'count',
    'or',
    'and',
    'on',
    'group_left',
    'time',
    'max_over_time',
    'le',
    'vector',
  ]);
  const labels = /\b(by|on|group_left)\s*\(([^)]*)\)/g;
  const cleaned = withoutStrings
    .replace(labels, '')
    .replace(/\{[^}]*\}/g, '{}')
    .replace(/\[[^\]]*\]/g, '[]');
  return [...cleaned.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()/g)]
    .map((m) => m[1] ?? '')
    .filter(
      (n) =>
        !keywords.has(n) &&
        !/^\d/.test(n) &&
        !n.startsWith('service:') &&
        !/^e\d+$/.test(n),
    );
}

describe('observability assets', () => {
  it('has committed assets identical to the generator output (regenerate with scripts/generate-assets.mjs)', () => {
    for (const [name, content] of Object.entries(renderObservabilityAssets())) {
      expect(
        readFileSync(new URL(name, assetsDir), 'utf8'),
        `assets/${name} is stale: run node packages/telemetry/scripts/generate-assets.mjs`,
      ).toBe(content);
    }
  });

  it('builds a dashboard with a service variable, unique panel ids and the rows of the contract', () => {
    const d = buildDashboard({ service: 'orders' });
    const vars = d.templating.list.map((v) => v.name);
    expect(vars).toEqual(['datasource', 'namespace', 'service']);
    expect(d.templating.list[2]?.current).toEqual({
      text: 'orders',
      value: 'orders',
    });
    const ids = d.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(
      d.panels.filter((p) => p.type === 'row').map((p) => p.title),
    ).toEqual([
      'Overview',
      'HTTP (REST)',
      'gRPC',
      'Dependencies',
      'Jobs (workers and batches)',
      'Queues',
      'Runtime (saturation)',
    ]);
    const titles = d.panels.map((p) => p.title);
    for (const t of [
      'Latency p50 / p90 / p99 by route',
      'Latency p50 / p90 / p99 by RPC',
      'Event-loop lag p50 / p99',
      'Heap used / total',
      'CPU (cores)',
      '5xx ratio by route',
      'Error ratio by RPC',
      'Queue depth by state',
      'Waiting backlog growth (jobs per minute)',
      'Dead-lettered jobs (failed)',
      'Queue latency p50 / p99',
      'Outgoing requests per second by target',
      'Error ratio by target',
      'Latency p99 by target',
    ]) {
      expect(titles).toContain(t);
    }
    for (const p of d.panels.filter((x) => x.type !== 'row')) {
      expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
      for (const t of p.targets ?? [])
        expect(t.expr).toContain('service=~"$service"');
    }
  });

  it('resolves the Grafana variables of every panel query into plain PromQL for one service', () => {
    for (const { panel, expr } of dashboardQueries(buildDashboard())) {
      const all = resolveDashboardQuery(expr);
      expect(all, panel).not.toContain('$');
      expect(all, panel).toContain('namespace=~".*", service=~".*"');
      const one = resolveDashboardQuery(expr, {
        service: 'greeter',
        namespace: 'shop',
        rateInterval: '30s',
      });
      expect(one, panel).toContain('namespace=~"shop", service=~"greeter"');
      if (expr.includes('$__rate_interval'))
        expect(one, panel).toContain('[30s]');
    }
  });

  it('uses only metric names from the catalog in dashboard panels and alert rules', () => {
    const known = knownMetricNames();
    const exprs = [
      ...dashboardQueries(buildDashboard()).map((q) => q.expr),
      ...buildAlertRules().groups.flatMap((g) => g.rules.map((r) => r.expr)),
    ];
    expect(exprs.length).toBeGreaterThan(30);
    for (const expr of exprs) {
      for (const name of metricNamesIn(expr))
        expect(known, `${name} in ${expr}`).toContain(name);
    }
  });

  it('scopes every rule to one service when asked, and links every alert to its runbook section', () => {
    const rules = buildAlertRules({
      service: 'orders',
      labels: { team: 'shop' },
    });
    const all = rules.groups.flatMap((g) => g.rules);
    for (const r of all) {
      if (r.expr.startsWith('service:')) continue; // reads the recording rules, which are scoped
      expect(r.expr).toContain('service="orders"');
    }
    const alerts = all.filter((r): r is AlertingRule => 'alert' in r);
    expect(alerts.map((a) => a.alert)).toEqual([
      'KenosHttpErrorBudgetBurnFast',
      'KenosHttpErrorBudgetBurnSlow',
      'KenosGrpcErrorBudgetBurnFast',
      'KenosGrpcErrorBudgetBurnSlow',
      'KenosHttpLatencyP99High',
      'KenosGrpcLatencyP99High',
      'KenosPodNotReady',
      'KenosScrapeTargetDown',
      'KenosBatchNotSucceeded',
      'KenosJobFailureRatioHigh',
      'KenosQueueBacklogGrowing',
      'KenosJobsDeadLettered',
      'KenosDependencyFailing',
      'KenosEventLoopLagHigh',
    ]);
    const doc = readFileSync(
      new URL('../../../docs/observability.md', import.meta.url),
      'utf8',
    );
    for (const a of alerts) {
      expect(a.labels.team).toBe('shop');
      expect(a.annotations.runbook_url).toMatch(
        new RegExp(`#${a.alert.toLowerCase()}$`),
      );
      expect(
        doc,
        `docs/observability.md has a runbook for ${a.alert}`,
      ).toContain(`### ${a.alert}`);
    }
  });

  it('documents every catalog and runtime metric in docs/observability.md', () => {
    const doc = readFileSync(
      new URL('../../../docs/observability.md', import.meta.url),
      'utf8',
    );
    for (const spec of Object.values(KENOS_METRICS)) {
      expect(doc).toContain(
        `| \`${spec.name}\` | ${spec.type} | ${spec.labels.map((l) => `\`${l}\``).join(', ')} |`,
      );
    }
    for (const name of Object.values(RUNTIME_METRICS))
      expect(doc).toMatch(
        new RegExp(
          name
            .replace(/_(p50|p99)_/, '_{.*$1.*}_')
            .replace('_used_', '_(used|.*used.*)_'),
        ),
      );
  });

  it('writes thresholds from the options into the burn-rate and latency rules', () => {
    const rules = buildAlertRules({
      availabilityObjective: 0.99,
      latencyP99Seconds: 0.25,
    });
    const byName = new Map(
      rules.groups
        .flatMap((g) => g.rules)
        .filter((r): r is AlertingRule => 'alert' in r)
        .map((r) => [r.alert, r.expr]),
    );
    expect(byName.get('KenosHttpErrorBudgetBurnFast')).toContain('> 0.144');
    expect(byName.get('KenosHttpErrorBudgetBurnSlow')).toContain('> 0.06');
    expect(byName.get('KenosHttpLatencyP99High')).toMatch(/> 0\.25$/);
  });

  it('writes thresholds from the options into the queue and dependency rules, with the documented defaults', () => {
    const exprs = (options: Parameters<typeof buildAlertRules>[0]) =>
      new Map(
        buildAlertRules(options)
          .groups.flatMap((g) => g.rules)
          .filter((r): r is AlertingRule => 'alert' in r)
          .map((r) => [r.alert, r.expr]),
      );
    const defaults = exprs({});
    expect(defaults.get('KenosQueueBacklogGrowing')).toContain(
      'job_state="waiting"}) > 100\nand',
    );
    expect(defaults.get('KenosJobsDeadLettered')).toMatch(
      /delta\(kenos_queue_jobs\{job_state="failed"\}\[15m\]\)\) > 0$/,
    );
    expect(defaults.get('KenosDependencyFailing')).toContain('> 0.05\n');
    expect(defaults.get('KenosDependencyFailing')).toContain('>= 0.1\n');
    const custom = exprs({
      queueBacklogJobs: 5000,
      deadLetteredJobs: 10,
      dependencyErrorRatio: 0.2,
      dependencyMinRequestRate: 2,
    });
    expect(custom.get('KenosQueueBacklogGrowing')).toContain('> 5000\n');
    expect(custom.get('KenosJobsDeadLettered')).toMatch(/> 10$/);
    expect(custom.get('KenosDependencyFailing')).toContain('> 0.2\n');
    expect(custom.get('KenosDependencyFailing')).toContain('>= 2\n');
  });

  it('stacks the queue depth panel and reads every queue and dependency panel from the catalog metrics', () => {
    const d = buildDashboard();
    const depth = d.panels.find((p) => p.title === 'Queue depth by state');
    expect(depth?.fieldConfig?.defaults.custom).toMatchObject({
      stacking: { mode: 'normal' },
    });
    const rowOf = (title: string) => {
      const start = d.panels.findIndex(
        (p) => p.type === 'row' && p.title === title,
      );
      const end = d.panels.findIndex((p, i) => i > start && p.type === 'row');
      return d.panels.slice(start + 1, end);
    };
    for (const p of rowOf('Queues'))
      for (const t of p.targets ?? [])
        expect(t.expr).toMatch(/kenos_queue_jobs|kenos_job_queue_latency/);
    for (const p of rowOf('Dependencies'))
      for (const t of p.targets ?? [])
        expect(t.expr).toMatch(
          /http_client_request_duration_seconds|rpc_client_call_duration_seconds/,
        );
  });

  it('builds a PodMonitor for the admin port that labels series with the service', () => {
    const fleet = buildPodMonitor();
    expect(fleet.spec.selector.matchLabels).toEqual({
      'kenos.dev/scrape': 'true',
    });
    const one = buildPodMonitor({
      service: 'orders',
      namespace: 'shop',
      labels: { release: 'prom' },
    });
    expect(one.metadata).toEqual({
      name: 'orders',
      namespace: 'shop',
      labels: { release: 'prom' },
    });
    expect(one.spec.selector.matchLabels['app.kubernetes.io/name']).toBe(
      'orders',
    );
    const ep = one.spec.podMetricsEndpoints[0];
    expect(ep).toMatchObject({
      port: 'admin',
      path: '/metrics',
      honorLabels: true,
    });
    expect(ep?.relabelings[0]).toEqual({
      sourceLabels: ['__meta_kubernetes_pod_label_app_kubernetes_io_name'],
      targetLabel: 'service',
    });
    expect(
      renderObservabilityAssets({ service: 'orders' })['podmonitor.yaml'],
    ).toContain('app.kubernetes.io/name: orders');
  });

  it('writes YAML that quotes whatever a plain scalar would misread', () => {
    expect(
      toYaml({
        a: 'yes',
        b: '5m',
        c: 'x: y',
        d: 'plain text',
        e: [1, true, null],
        f: {},
        g: [],
        h: 'line1\nline2',
      }),
    ).toBe(
      'a: "yes"\nb: "5m"\nc: "x: y"\nd: plain text\ne:\n- 1\n- true\n- null\nf: {}\ng: []\nh: |-\n  line1\n  line2\n',
    );
  });
});
