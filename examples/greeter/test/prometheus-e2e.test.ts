// A real Prometheus (Debian's `prometheus`, installed by .ci/run) scrapes the running greeter —
// api, worker:greetings and batch:daily-report, each on its admin port — under a short bounded
// load; then every panel query of the Kenos dashboard must return data for service="greeter".
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from '@grpc/grpc-js';
import { GRPC_SERVER_ERROR_CODES } from '@kenos/telemetry';
import {
  buildDashboard,
  dashboardQueries,
  resolveDashboardQuery,
  toYaml,
} from '@kenos/telemetry/assets';
import {
  createGrpcClient,
  freePort,
  startService,
  stopAllServices,
  unary,
  type ServiceProcess,
} from '@kenos/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const proto = fileURLToPath(
  new URL('../proto/kenos/example/greeter/v1/greeter.proto', import.meta.url),
);
const SERVICE = 'greeter';
const NAMESPACE = 'e2e';
const tmp = mkdtempSync(join(tmpdir(), 'kenos-greeter-prom-'));
let prometheus: ChildProcess | undefined;
let promUrl = '';
let promLog = '';
let api: ServiceProcess;
let batch: ServiceProcess;
let client: Client | undefined;

async function waitFor(
  what: string,
  fn: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      if (await fn()) return;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const targets = await fetch(`${promUrl}/api/v1/targets`).then(
    (r) => r.text(),
    () => '',
  );
  throw new Error(
    `timed out waiting for ${what}: ${String(last)}\ntargets: ${targets}\n${promLog}`,
  );
}

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}
interface QueryResult {
  status: string;
  error?: string;
  data: { resultType: string; result: Sample[] };
}

async function query(expr: string): Promise<QueryResult> {
  const res = await fetch(
    `${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`,
  );
  return (await res.json()) as QueryResult;
}
const series = async (expr: string): Promise<Sample[]> =>
  (await query(expr)).data.result;
const labelValues = async (expr: string, label: string): Promise<string[]> =>
  (await series(expr)).map((s) => s.metric[label] ?? '').sort();

/** One round of load: REST 200/400/404 and gRPC OK/INVALID_ARGUMENT/a call past its deadline. */
async function loadRound(base: string, grpcClient: Client): Promise<void> {
  const post = (body: string): Promise<Response> =>
    fetch(`${base}/v1/greetings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
  const rest = [
    fetch(`${base}/v1/greetings/World`),
    fetch(`${base}/v1/greetings/Ada?delay_ms=abc`), // 400
    fetch(`${base}/no/such/path`), // 404, route (unmatched)
    fetch(`${base}/v1/greetings/abc/def`), // 404, route (unmatched)
    post('{"name":"Grace"}'),
    post('{}'), // 400
    post('{"name":'), // 400 malformed JSON
  ].map((res) => res.then((r) => r.text()));
  const rpc = [
    unary(grpcClient, 'SayHello', { name: 'Linus' }),
    unary(grpcClient, 'SayHello', { name: '' }), // INVALID_ARGUMENT: the caller's fault, not a server error
    // the client gives up after 50 ms, the server's deadline aborts the 300 ms greeting: a server error code
    unary(
      grpcClient,
      'SayHello',
      { name: 'Slow', delayMs: 300 },
      { deadlineMs: 50 },
    ),
  ];
  await Promise.all([...rest, ...rpc]);
}

beforeAll(async () => {
  // 1. the greeter's three components; the batch runs at once and then lingers with its admin server up
  const started = await Promise.all([
    startService(main, 'api'),
    // a demo job every 100 ms (the example's own feed, GREETER_WORKER_INTERVAL_MS)
    startService(main, 'worker:greetings', {
      env: {
        GREETER_WORKER_INTERVAL_MS: '100',
        GREETER_WORKER_JOB_DURATION_MS: '20',
      },
    }),
    startService(main, 'batch:daily-report', {
      env: { BATCH_METRICS_LINGER_MS: '120000' },
    }),
  ]);
  [api, , batch] = started;
  await batch.waitForLine(
    (l) =>
      typeof l.msg === 'string' &&
      l.msg.startsWith('batch finished; serving /metrics'),
  );
  client = createGrpcClient({
    protoPath: proto,
    service: 'kenos.example.greeter.v1.GreeterService',
    address: api.grpcAddress(),
  });

  // 2. a real Prometheus scraping the three admin ports every second, as pods of one namespace
  const promPort = await freePort();
  promUrl = `http://127.0.0.1:${promPort}`;
  const pods = [
    'greeter-api-0',
    'greeter-worker-greetings-0',
    'greeter-daily-report-0',
  ];
  const config = {
    global: {
      scrape_interval: '1s',
      scrape_timeout: '1s',
      evaluation_interval: '1s',
    },
    scrape_configs: [
      {
        job_name: 'greeter',
        static_configs: started.map((svc, i) => ({
          targets: [`127.0.0.1:${svc.ports.admin ?? 0}`],
          labels: { namespace: NAMESPACE, pod: pods[i] ?? '' },
        })),
      },
    ],
  };
  writeFileSync(join(tmp, 'prometheus.yml'), toYaml(config));
  prometheus = spawn(
    'prometheus',
    [
      `--config.file=${join(tmp, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(tmp, 'data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  prometheus.stderr?.on('data', (c: Buffer) => (promLog += c.toString()));
  prometheus.once(
    'error',
    (err) => (promLog += `spawn failed: ${err.message}`),
  );
  await waitFor(
    'Prometheus ready',
    async () => (await fetch(`${promUrl}/-/ready`)).ok,
    30_000,
  );
  await waitFor(
    'the first scrape of all three components',
    async () => (await series('up{job="greeter"} == 1')).length === 3,
    20_000,
  );

  // 3. a bounded load (at most 150 rounds of 10 requests, 100 ms apart) until Prometheus has seen
  //    every family increase over a 1m rate window and the batch's final values
  const grpcClient = client;
  const base = api.url('').replace(/\/$/, '');
  let stop = false;
  const load = (async () => {
    for (let round = 0; round < 150 && !stop; round++) {
      await loadRound(base, grpcClient);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  try {
    const sel = `service="${SERVICE}"`;
    for (const family of [
      'http_server_request_duration_seconds_count',
      'rpc_server_call_duration_seconds_count',
      'kenos_jobs_finished_total',
    ]) {
      await waitFor(
        `an increasing ${family}`,
        async () =>
          (await series(`sum(rate(${family}{${sel}}[1m])) > 0`)).length > 0,
        20_000,
      );
    }
    await waitFor(
      'the batch success scraped during the linger',
      async () =>
        (
          await series(
            `kenos_job_last_success_timestamp_seconds{${sel},job_kind="batch"} > 0`,
          )
        ).length > 0,
      10_000,
    );
    await new Promise((r) => setTimeout(r, 1500)); // one more scrape with the load still running
  } finally {
    stop = true;
    await load;
  }
}, 90_000);

afterAll(async () => {
  client?.close();
  if (
    prometheus &&
    prometheus.exitCode === null &&
    prometheus.signalCode === null
  ) {
    const exited = new Promise((r) => prometheus?.once('exit', r));
    prometheus.kill('SIGTERM');
    const timer = setTimeout(() => prometheus?.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
  await stopAllServices();
  rmSync(tmp, { recursive: true, force: true });
});

describe('a real Prometheus scraping the greeter under load', () => {
  it('returns data for every dashboard panel query', async () => {
    const queries = dashboardQueries(buildDashboard());
    expect(queries.length).toBeGreaterThan(20);
    const empty: string[] = [];
    for (const q of queries) {
      const r = await query(
        resolveDashboardQuery(q.expr, {
          service: SERVICE,
          namespace: NAMESPACE,
        }),
      );
      expect(r.status, `${q.panel}: ${r.error ?? ''}`).toBe('success');
      if (r.data.result.length === 0) empty.push(`${q.panel}: ${q.expr}`);
    }
    expect(empty, `panels without data:\n${empty.join('\n')}`).toEqual([]);
  });

  it('labels requests with route templates, one (unmatched) series for every unknown path, never a raw path', async () => {
    expect(
      await labelValues(
        `count by (http_route) (http_server_request_duration_seconds_count{service="${SERVICE}"})`,
        'http_route',
      ),
    ).toEqual(['(unmatched)', '/v1/greetings', '/v1/greetings/:name']);
    expect(
      await labelValues(
        `count by (http_response_status_code) (http_server_request_duration_seconds_count{service="${SERVICE}"})`,
        'http_response_status_code',
      ),
    ).toEqual(['200', '400', '404']);
  });

  it('counts a call past its deadline as a server error and INVALID_ARGUMENT as none', async () => {
    const codes = await labelValues(
      `count by (rpc_grpc_status_code) (rpc_server_call_duration_seconds_count{service="${SERVICE}"})`,
      'rpc_grpc_status_code',
    );
    expect(codes).toContain('0');
    expect(codes).toContain('3');
    const errors = `rpc_grpc_status_code=~"${GRPC_SERVER_ERROR_CODES.join('|')}"`;
    const [ratio] = await series(
      `sum(rate(rpc_server_call_duration_seconds_count{service="${SERVICE}",${errors}}[1m])) / sum(rate(rpc_server_call_duration_seconds_count{service="${SERVICE}"}[1m]))`,
    );
    // one of the three calls of a round fails on the server side
    expect(Number(ratio?.value[1])).toBeGreaterThan(0.2);
    expect(Number(ratio?.value[1])).toBeLessThan(0.5);
  });

  it('shows an HTTP 5xx ratio of 0: nothing in the greeter fails with a 5xx under valid or invalid input', async () => {
    const [overview] = (
      await query(
        resolveDashboardQuery(
          dashboardQueries(buildDashboard()).find(
            (q) => q.panel === 'HTTP 5xx ratio',
          )?.expr ?? '',
          { service: SERVICE },
        ),
      )
    ).data.result;
    expect(Number(overview?.value[1])).toBe(0);
  });

  it('has build info, namespace and pod on the series of all three components', async () => {
    const info = await series(`kenos_build_info{service="${SERVICE}"}`);
    expect(info.map((s) => s.metric['pod']).sort()).toEqual([
      'greeter-api-0',
      'greeter-daily-report-0',
      'greeter-worker-greetings-0',
    ]);
    for (const s of info)
      expect(s.metric).toMatchObject({
        service: SERVICE,
        version: '0.0.0',
        namespace: NAMESPACE,
      });
    const jobs = await series(
      `sum by (job_kind, job_name) (kenos_jobs_started_total{service="${SERVICE}"})`,
    );
    expect(
      jobs.map((s) => `${s.metric['job_kind']}:${s.metric['job_name']}`).sort(),
    ).toEqual(['batch:daily-report', 'worker:greetings']);
  });

  it('ends the batch linger on SIGTERM and exits 0, the code of the successful run', async () => {
    expect(batch.exitInfo).toBeUndefined(); // still lingering: 120 s, far beyond this test
    const { code } = await batch.stop('SIGTERM', 10_000);
    expect(code).toBe(0);
  });
});
