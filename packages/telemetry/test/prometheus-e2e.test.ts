import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard, dashboardQueries, toYaml } from '../src/index.js';
import { substituteGrafanaVariables } from './grafana.js';

const fixture = fileURLToPath(new URL('./fixtures/example-service.mjs', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'kenos-telemetry-prom-'));
const children: ChildProcess[] = [];
let promUrl = '';
let servicePorts = { http: 0, admin: 0 };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

function start(cmd: string, args: string[]): ChildProcess {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return child;
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}: ${String(last)}`);
}

interface QueryResult {
  status: string;
  error?: string;
  data: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
}

async function query(expr: string): Promise<QueryResult> {
  const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
  return (await res.json()) as QueryResult;
}

beforeAll(async () => {
  // 1. the example service
  const service = start(process.execPath, [fixture]);
  servicePorts = await new Promise((resolve, reject) => {
    let out = '';
    service.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0] ?? '{}') as typeof servicePorts);
    });
    service.once('exit', (code) => reject(new Error(`example service exited with ${code}`)));
  });
  // 2. a real Prometheus scraping its admin port every 2 seconds
  const promPort = await freePort();
  promUrl = `http://127.0.0.1:${promPort}`;
  const config = {
    global: { scrape_interval: '2s', scrape_timeout: '2s', evaluation_interval: '2s' },
    scrape_configs: [
      {
        job_name: 'kenos-e2e',
        static_configs: [{ targets: [`127.0.0.1:${servicePorts.admin}`], labels: { namespace: 'e2e', pod: 'e2e-shop-0' } }],
      },
    ],
  };
  writeFileSync(join(tmp, 'prometheus.yml'), toYaml(config));
  const prom = start('prometheus', [
    `--config.file=${join(tmp, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(tmp, 'data')}`,
    `--web.listen-address=127.0.0.1:${promPort}`,
    '--log.level=warn',
  ]);
  let promLog = '';
  prom.stderr?.on('data', (c: Buffer) => (promLog += c.toString()));
  prom.once('error', (err) => (promLog += `spawn failed: ${err.message}`));
  await waitFor('Prometheus ready', async () => ((await fetch(`${promUrl}/-/ready`)).ok ? true : undefined), 30_000).catch((err: Error) => {
    throw new Error(`${err.message}\n${promLog}`);
  });
  await waitFor('the first scrape', async () => ((await query('up{job="kenos-e2e"} == 1')).data.result.length > 0 ? true : undefined), 30_000);
  // 3. a short bounded load (routes, 5xx, unmatched paths, RPCs) running across several scrapes,
  //    at most 150 rounds of 14 requests, until Prometheus has seen the counters increase
  const paths = ['/items', '/items/42', '/items/fail', '/no/such/path', '/rpc/GetItem', '/rpc/Broken', '/rpc/Missing'];
  const base = `http://127.0.0.1:${servicePorts.http}`;
  let stop = false;
  const load = (async () => {
    for (let round = 0; round < 150 && !stop; round++) {
      await Promise.all(Array.from({ length: 14 }, (_, i) => fetch(`${base}${paths[i % paths.length] ?? '/'}`).then((r) => r.text())));
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  try {
    // 4. rate() over 1m sees the increase of every family the dashboard reads
    for (const family of ['http_server_request_duration_seconds_count', 'rpc_server_call_duration_seconds_count', 'kenos_jobs_finished_total']) {
      await waitFor(
        `an increasing ${family}`,
        async () => ((await query(`sum(rate(${family}{service="e2e-shop"}[1m])) > 0`)).data.result.length > 0 ? true : undefined),
        30_000,
      ).catch(async (err: Error) => {
        const targets = await fetch(`${promUrl}/api/v1/targets`).then((r) => r.text());
        throw new Error(`${err.message}\ntargets: ${targets}\n${promLog}`);
      });
    }
    await new Promise((r) => setTimeout(r, 2500)); // one more scrape with the load still running
  } finally {
    stop = true;
    await load;
  }
}, 90_000);

afterAll(async () => {
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          c.once('exit', () => resolve());
          c.kill('SIGTERM');
          setTimeout(() => {
            c.kill('SIGKILL');
            resolve();
          }, 5000).unref();
        }),
    ),
  );
  rmSync(tmp, { recursive: true, force: true });
});

describe('a real Prometheus scraping an instrumented service', () => {
  it('returns data for every dashboard panel query', async () => {
    const queries = dashboardQueries(buildDashboard());
    const empty: string[] = [];
    for (const q of queries) {
      const r = await query(substituteGrafanaVariables(q.expr, 'e2e-shop'));
      expect(r.status, `${q.panel}: ${r.error ?? ''}`).toBe('success');
      if (r.data.result.length === 0) empty.push(`${q.panel}: ${q.expr}`);
    }
    expect(empty, `panels without data:\n${empty.join('\n')}`).toEqual([]);
  });

  it('sees the contract labels on the scraped series, with one series for every unmatched path', async () => {
    const routes = await query('count by (http_route) (http_server_request_duration_seconds_count{service="e2e-shop"})');
    expect(routes.data.result.map((s) => s.metric.http_route).sort()).toEqual(['(unmatched)', '/items', '/items/:id', '/rpc/:method']);
    const info = await query('kenos_build_info');
    expect(info.data.result[0]?.metric).toMatchObject({ service: 'e2e-shop', version: '1.0.0', namespace: 'e2e', pod: 'e2e-shop-0' });
    const ratio = await query(
      'sum(rate(rpc_server_call_duration_seconds_count{service="e2e-shop",rpc_grpc_status_code=~"2|4|12|13|14|15"}[1m])) / sum(rate(rpc_server_call_duration_seconds_count{service="e2e-shop"}[1m]))',
    );
    const value = Number(ratio.data.result[0]?.value[1]);
    expect(value).toBeGreaterThan(0.2); // one of three RPC methods answers UNAVAILABLE; NOT_FOUND does not count
    expect(value).toBeLessThan(0.5);
  });
});
