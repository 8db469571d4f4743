import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildAlertRules,
  buildDashboard,
  dashboardQueries,
  resolveDashboardQuery,
  toYaml,
  type YamlValue,
} from '../src/assets.js';

const pkgDir = fileURLToPath(new URL('..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'kenos-telemetry-promtool-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs promtool; a missing promtool is a failure (CI installs Debian's `prometheus` from .ci/apt-packages.txt). */
function promtool(args: string[]): { status: number | null; output: string } {
  const r = spawnSync('promtool', args, {
    cwd: pkgDir,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.error) {
    throw new Error(
      `promtool is required for these tests (apt-get install prometheus): ${r.error.message}`,
    );
  }
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('Prometheus rules checked by promtool', () => {
  it('finds promtool on the PATH', () => {
    const out = execFileSync('promtool', ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(out).toMatch(/promtool, version \d+\.\d+/);
  });

  it('accepts the committed alert rules with promtool check rules', () => {
    const r = promtool(['check', 'rules', 'assets/alerts.yaml']);
    expect(r.output).toMatch(/SUCCESS: 22 rules found/);
    expect(r.status).toBe(0);
  });

  it('accepts the rules scoped to one service with custom thresholds', () => {
    const file = join(tmp, 'orders-alerts.yaml');
    writeFileSync(
      file,
      toYaml(
        buildAlertRules({
          service: 'orders',
          availabilityObjective: 0.995,
          queueBacklogJobs: 1000,
          deadLetteredJobs: 5,
          dependencyErrorRatio: 0.2,
          dependencyMinRequestRate: 1,
          labels: { team: 'shop' },
        }) as unknown as YamlValue,
      ),
    );
    const r = promtool(['check', 'rules', file]);
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('fires and stays silent as specified in every promtool unit test', () => {
    const files = readdirSync(join(pkgDir, 'test/promtool'))
      .filter((f) => f.endsWith('.test.yaml'))
      .sort();
    expect(files).toEqual([
      'dependencies.test.yaml',
      'grpc-errors.test.yaml',
      'http-errors.test.yaml',
      'jobs.test.yaml',
      'latency.test.yaml',
      'pods.test.yaml',
      'queues.test.yaml',
      'runtime.test.yaml',
    ]);
    const r = promtool([
      'test',
      'rules',
      ...files.map((f) => `test/promtool/${f}`),
    ]);
    expect(r.output, r.output).not.toContain('FAILED');
    expect(r.status, r.output).toBe(0);
  });

  it('parses every dashboard panel query as valid PromQL', () => {
    const queries = dashboardQueries(buildDashboard());
    const file = join(tmp, 'dashboard-queries.yaml');
    const rules = queries.map((q, i) => ({
      record: `kenos:dashboard_panel_${i}`,
      expr: resolveDashboardQuery(q.expr),
    }));
    writeFileSync(file, toYaml({ groups: [{ name: 'dashboard', rules }] }));
    const r = promtool(['check', 'rules', file]);
    expect(r.output, r.output).toContain(
      `SUCCESS: ${queries.length} rules found`,
    );
    expect(r.status).toBe(0);
  });

  it('counts a queue once however many pods report it, and only dependency errors in the error ratio panel', () => {
    const panel = (title: string, index: number): string => {
      const q = dashboardQueries(buildDashboard()).filter(
        (x) => x.panel === title,
      )[index];
      if (q === undefined) throw new Error(`no query ${index} in ${title}`);
      return resolveDashboardQuery(q.expr, { rateInterval: '5m' });
    };
    const http = (target: string, status: string, error: string) =>
      `http_client_request_duration_seconds_count{namespace="shop",service="orders",http_request_method="GET",server_address="${target}",http_response_status_code="${status}",error_type="${error}"}`;
    const grpc = (service: string, code: number) =>
      `rpc_client_call_duration_seconds_count{namespace="shop",service="orders",rpc_service="${service}",rpc_method="Get",rpc_grpc_status_code="${code}"}`;
    const queue = (ns: string, pod: string) =>
      `kenos_queue_jobs{namespace="${ns}",service="mailer",pod="${pod}",queue="emails",job_state="waiting"}`;
    const perMinute = (n: number) => `0+${n}x20`;
    const file = join(tmp, 'panels.test.yaml');
    writeFileSync(
      file,
      toYaml({
        rule_files: [],
        evaluation_interval: '1m',
        tests: [
          {
            interval: '1m',
            input_series: [
              // emails: 300 waiting in shop, read by two pods; 5 in staging
              { series: queue('shop', 'mailer-api-0'), values: '300x20' },
              { series: queue('shop', 'mailer-worker-0'), values: '300x20' },
              { series: queue('staging', 'mailer-worker-0'), values: '5x20' },
              // payments: 60 ok, 10 x 503, 10 x 429, 10 timeouts, 10 connection errors per minute
              { series: http('payments:80', '200', ''), values: perMinute(60) },
              {
                series: http('payments:80', '503', '503'),
                values: perMinute(10),
              },
              {
                series: http('payments:80', '429', '429'),
                values: perMinute(10),
              },
              {
                series: http('payments:80', '', 'timeout'),
                values: perMinute(10),
              },
              {
                series: http('payments:80', '', 'connection'),
                values: perMinute(10),
              },
              // catalog: 50 ok, 40 x 404, 10 aborted by the caller: none is the dependency's fault
              { series: http('catalog:80', '200', ''), values: perMinute(50) },
              {
                series: http('catalog:80', '404', '404'),
                values: perMinute(40),
              },
              {
                series: http('catalog:80', '', 'aborted'),
                values: perMinute(10),
              },
              // stock: 80 OK, 10 UNAVAILABLE, 10 RESOURCE_EXHAUSTED; users: 50 OK, 40 NOT_FOUND, 10 CANCELLED
              { series: grpc('stock', 0), values: perMinute(80) },
              { series: grpc('stock', 14), values: perMinute(10) },
              { series: grpc('stock', 8), values: perMinute(10) },
              { series: grpc('users', 0), values: perMinute(50) },
              { series: grpc('users', 5), values: perMinute(40) },
              { series: grpc('users', 1), values: perMinute(10) },
            ],
            promql_expr_test: [
              {
                expr: panel('Queue depth by state', 0),
                eval_time: '10m',
                exp_samples: [
                  {
                    labels: '{queue="emails", job_state="waiting"}',
                    value: 305,
                  },
                ],
              },
              {
                expr: `round(${panel('Error ratio by target', 0)}, 0.001)`,
                eval_time: '10m',
                exp_samples: [
                  { labels: '{server_address="catalog:80"}', value: 0 },
                  { labels: '{server_address="payments:80"}', value: 0.4 },
                ],
              },
              {
                expr: `round(${panel('Error ratio by target', 1)}, 0.001)`,
                eval_time: '10m',
                exp_samples: [
                  { labels: '{rpc_service="stock"}', value: 0.2 },
                  { labels: '{rpc_service="users"}', value: 0 },
                ],
              },
            ],
          },
        ],
      } as unknown as YamlValue),
    );
    const r = promtool(['test', 'rules', file]);
    expect(r.output, r.output).toContain('SUCCESS');
    expect(r.status, r.output).toBe(0);
  });
});
