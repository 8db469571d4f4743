import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runKenos } from './kenos-process.js';

describe('kenos observability', () => {
  it('prints the Grafana dashboard as JSON and the alert rules as a Prometheus rule file', async () => {
    const dashboard = await runKenos([
      'observability',
      'dashboard',
      '--service',
      'orders',
    ]);
    expect(dashboard.code).toBe(0);
    const json = JSON.parse(dashboard.stdout) as {
      panels?: unknown[];
      title?: string;
    };
    expect(json.panels?.length).toBeGreaterThan(0);
    expect(dashboard.stdout).toContain('http_server_request_duration_seconds');
    const alerts = await runKenos(['observability', 'alerts']);
    expect(alerts.code).toBe(0);
    expect(alerts.stdout).toMatch(/^groups:/m);
  });

  it('writes every asset into a directory and prints the paths', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kenos-cli-'));
    try {
      const out = join(dir, 'observability');
      const r = await runKenos([
        'observability',
        'write',
        out,
        '--namespace',
        'monitoring',
      ]);
      expect(r.code).toBe(0);
      expect(readdirSync(out).sort()).toEqual([
        'alerts.yaml',
        'dashboard.json',
        'podmonitor.yaml',
      ]);
      expect(r.stdout.trim().split('\n')).toHaveLength(3);
      expect(readFileSync(join(out, 'podmonitor.yaml'), 'utf8')).toContain(
        'monitoring',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 for an unknown asset or write without a directory', async () => {
    expect((await runKenos(['observability', 'graphs'])).code).toBe(2);
    expect((await runKenos(['observability', 'write'])).code).toBe(2);
  });
});
