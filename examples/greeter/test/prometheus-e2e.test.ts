// A real Prometheus (Debian's `prometheus`, installed by .ci/run) scrapes the running greeter —
// api, worker:greetings and batch:daily-report, each on its admin port, the api and the worker on a
// real redis-server (Debian's `redis-server`) — under a short bounded load; then every panel query
// of the Kenos dashboard must return data for service="greeter".
import { fileURLToPath } from 'node:url';
import type { Client } from '@grpc/grpc-js';
import { GRPC_SERVER_ERROR_CODES } from '@kenos/telemetry';
import {
  buildDashboard,
  dashboardQueries,
  resolveDashboardQuery,
} from '@kenos/telemetry/assets';
import {
  createGrpcClient,
  freePort,
  startService,
  stopAllProcesses,
  unary,
  type ServiceProcess,
} from '@kenos/testing';
import {
  queriesWithoutData,
  startPrometheus,
  type Prometheus,
  type PrometheusSample,
} from '@kenos/testing/prometheus';
import { startRedis, type RedisServer } from '@kenos/testing/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const proto = fileURLToPath(
  new URL('../proto/kenos/example/greeter/v1/greeter.proto', import.meta.url),
);
const SERVICE = 'greeter';
/**
 * The panels of the dashboard's Dependencies row that have no data here: the greeter calls its
 * neighbour (itself) over REST only, so no gRPC client series, and those calls never fail in this
 * load (a failing dependency would be a 5xx of the greeter), so no HTTP client error series. The
 * telemetry package's promtool tests cover both queries.
 */
const NOT_EMITTED =
  /rpc_client_call_duration_seconds|http_client_request_duration_seconds_count\{[^}]*error_type!=""/;
const NAMESPACE = 'e2e';
let prom: Prometheus;
let redis: RedisServer | undefined;
let api: ServiceProcess;
let batch: ServiceProcess;
let client: Client | undefined;

const series = (expr: string): Promise<PrometheusSample[]> => prom.query(expr);
const labelValues = async (expr: string, label: string): Promise<string[]> =>
  (await series(expr)).map((s) => s.metric[label] ?? '').sort();

/**
 * One round of load: REST 200/202/400/404 (a greeting job for worker:greetings and a relayed
 * greeting among them) and gRPC
 * OK/INVALID_ARGUMENT/a call past its deadline.
 */
async function loadRound(base: string, grpcClient: Client): Promise<void> {
  const post = (body: string, path = '/v1/greetings'): Promise<Response> =>
    fetch(`${base}${path}`, {
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
    post('{"name":"Barbara"}', '/v1/greeting-jobs'), // 202, a job on the queue
    fetch(`${base}/v1/relayed-greetings/Ken`), // 200 through the HTTP client (the api is its own neighbour)
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
  // 1. the greeter's three components, the api and the worker on the queue (the greeting jobs of
  //    the load); the batch runs at once and then lingers with its admin server up
  redis = await startRedis();
  const queue = { REDIS_URL: redis.url };
  // the api relays greetings to itself: its HTTP client metrics feed the Dependencies row
  const httpPort = String(await freePort());
  const started = await Promise.all([
    startService(main, 'api', {
      env: {
        ...queue,
        HTTP_PORT: httpPort,
        GREETER_NEIGHBOUR_URL: `http://127.0.0.1:${httpPort}`,
      },
    }),
    startService(main, 'worker:greetings', {
      env: { ...queue, GREETER_WORKER_JOB_DURATION_MS: '20' },
    }),
    startService(main, 'batch:daily-report', {
      env: { REDIS_URL: '', BATCH_METRICS_LINGER_MS: '120000' },
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
  const pods = ['api', 'worker-greetings', 'daily-report'];
  prom = await startPrometheus({
    targets: started.map((svc, i) => ({
      job: SERVICE,
      address: `127.0.0.1:${svc.ports.admin ?? 0}`,
      labels: { namespace: NAMESPACE, pod: `greeter-${pods[i] ?? ''}-0` },
    })),
  });
  await prom.waitForTargetsUp();

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
      'kenos_job_queue_latency_seconds_count',
      'http_client_request_duration_seconds_count',
    ])
      await prom.waitForData(`sum(rate(${family}{${sel}}[1m])) > 0`);
    // the batch success, scraped during the linger
    await prom.waitForData(
      `kenos_job_last_success_timestamp_seconds{${sel},job_kind="batch"} > 0`,
      10_000,
    );
    await prom.waitForData(`kenos_queue_jobs{${sel},queue="greetings"}`);
    await new Promise((r) => setTimeout(r, 1500)); // one more scrape with the load still running
  } finally {
    stop = true;
    await load;
  }
}, 90_000);

afterAll(async () => {
  client?.close();
  await stopAllProcesses(); // the services and Prometheus, whose files go with it
  await redis?.stop();
});

describe('a real Prometheus scraping the greeter under load', () => {
  it('returns data for every dashboard panel query of the metrics it emits', async () => {
    const queries = dashboardQueries(buildDashboard())
      .filter((q) => !NOT_EMITTED.test(q.expr))
      .map((q) => ({
        panel: q.panel,
        expr: resolveDashboardQuery(q.expr, {
          service: SERVICE,
          namespace: NAMESPACE,
        }),
      }));
    expect(queries.length).toBeGreaterThan(20);
    expect(await queriesWithoutData(prom, queries)).toEqual([]);
  });

  it('labels requests with route templates, one (unmatched) series for every unknown path, never a raw path', async () => {
    expect(
      await labelValues(
        `count by (http_route) (http_server_request_duration_seconds_count{service="${SERVICE}"})`,
        'http_route',
      ),
    ).toEqual([
      '(unmatched)',
      '/v1/greeting-jobs',
      '/v1/greetings',
      '/v1/greetings/:name',
      '/v1/relayed-greetings/:name',
    ]);
    expect(
      await labelValues(
        `count by (http_response_status_code) (http_server_request_duration_seconds_count{service="${SERVICE}"})`,
        'http_response_status_code',
      ),
    ).toEqual(['200', '202', '400', '404']);
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
    const [overview] = await series(
      resolveDashboardQuery(
        dashboardQueries(buildDashboard()).find(
          (q) => q.panel === 'HTTP 5xx ratio',
        )?.expr ?? '',
        { service: SERVICE },
      ),
    );
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
