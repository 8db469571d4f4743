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
    expect(r.output).toMatch(/SUCCESS: 19 rules found/);
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
      'grpc-errors.test.yaml',
      'http-errors.test.yaml',
      'jobs.test.yaml',
      'latency.test.yaml',
      'pods.test.yaml',
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
});
