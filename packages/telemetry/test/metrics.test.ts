import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import {
  API_LATENCY_BUCKETS,
  KENOS_METRICS,
  OVERFLOW_LABEL_VALUE,
  UNMATCHED_ROUTE,
  createMetrics,
} from '../src/index.js';
import { kenosSdkVersion } from '../src/create-metrics.js';
import { find, parsePromText } from './prom-text.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((s) => new Promise((r) => s.close(r))),
  );
});

async function serve(
  handler: Parameters<typeof createServer>[1],
): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('createMetrics', () => {
  it('serves the Prometheus text format on the admin handler with build info and runtime metrics', async () => {
    const metrics = createMetrics({
      service: 'orders',
      version: '1.2.3',
      kenosVersion: '9.9.9',
    });
    const url = await serve(
      (req, res) => void metrics.metricsHandler(req, res),
    );
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(
      /^text\/plain; version=0\.0\.4/,
    );
    const { samples, types } = parsePromText(await res.text());
    expect(find(samples, 'kenos_build_info')).toEqual([
      {
        name: 'kenos_build_info',
        labels: { service: 'orders', version: '1.2.3', kenos_version: '9.9.9' },
        value: 1,
      },
    ]);
    expect(types.get('process_cpu_seconds_total')).toBe('counter');
    expect(types.get('nodejs_eventloop_lag_p99_seconds')).toBe('gauge');
    expect(types.get('nodejs_heap_size_used_bytes')).toBe('gauge');
    expect(
      find(samples, 'process_resident_memory_bytes', { service: 'orders' }),
    ).toHaveLength(1);
    for (const spec of Object.values(KENOS_METRICS))
      expect(types.get(spec.name)).toBe(spec.type);
  });

  it('answers HEAD with headers and no body', async () => {
    const metrics = createMetrics({
      service: 's',
      version: '1',
      collectDefaultMetrics: false,
    });
    const url = await serve(
      (req, res) => void metrics.metricsHandler(req, res),
    );
    const res = await fetch(url, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('records HTTP requests by method, route template and status code in the documented buckets', async () => {
    const metrics = createMetrics({
      service: 's',
      version: '1',
      collectDefaultMetrics: false,
    });
    metrics.observeHttpRequest({
      method: 'get',
      route: '/users/:id',
      statusCode: 200,
      durationSeconds: 0.02,
    });
    metrics.observeHttpRequest({
      method: 'GET',
      route: '/users/:id',
      statusCode: 200,
      durationSeconds: 0.3,
    });
    metrics.observeHttpRequest({
      method: 'POST',
      route: '/users',
      statusCode: 503,
      durationSeconds: 1.5,
    });
    const { samples } = parsePromText(await metrics.metrics());
    const ok = {
      http_request_method: 'GET',
      http_route: '/users/:id',
      http_response_status_code: '200',
    };
    expect(
      find(samples, 'http_server_request_duration_seconds_count', ok)[0]?.value,
    ).toBe(2);
    expect(
      find(samples, 'http_server_request_duration_seconds_sum', ok)[0]?.value,
    ).toBeCloseTo(0.32);
    expect(
      find(samples, 'http_server_request_duration_seconds_bucket', {
        ...ok,
        le: '0.025',
      })[0]?.value,
    ).toBe(1);
    expect(
      find(samples, 'http_server_request_duration_seconds_bucket', {
        ...ok,
        le: '0.5',
      })[0]?.value,
    ).toBe(2);
    const les = find(
      samples,
      'http_server_request_duration_seconds_bucket',
      ok,
    ).map((s) => s.labels.le);
    expect(les).toEqual([...API_LATENCY_BUCKETS.map(String), '+Inf']);
    expect(
      find(samples, 'http_server_request_duration_seconds_count', {
        http_response_status_code: '503',
      })[0]?.labels.http_route,
    ).toBe('/users');
  });

  it('folds every unmatched path into one series so random URLs cannot blow up cardinality', async () => {
    const metrics = createMetrics({
      service: 's',
      version: '1',
      collectDefaultMetrics: false,
    });
    for (let i = 0; i < 200; i++) {
      metrics.observeHttpRequest({
        method: i % 2 ? 'GET' : 'BREW',
        route: undefined,
        statusCode: 404,
        durationSeconds: 0.001,
      });
    }
    metrics.observeHttpRequest({
      method: 'GET',
      route: '',
      statusCode: 404,
      durationSeconds: 0.001,
    });
    const { samples } = parsePromText(await metrics.metrics());
    const counts = find(samples, 'http_server_request_duration_seconds_count');
    expect(
      counts.map((s) => [
        s.labels.http_request_method,
        s.labels.http_route,
        s.value,
      ]),
    ).toEqual([
      ['_OTHER', UNMATCHED_ROUTE, 100],
      ['GET', UNMATCHED_ROUTE, 101],
    ]);
  });

  it('records routes and RPC methods beyond the limits as (overflow) and warns once', async () => {
    const warnings: string[] = [];
    const logger = {
      warn: (o: Record<string, unknown>) => warnings.push(String(o.code)),
      error: () => undefined,
    };
    const metrics = createMetrics({
      service: 's',
      version: '1',
      collectDefaultMetrics: false,
      maxRoutes: 3,
      maxRpcMethods: 1,
      logger,
    });
    for (let i = 0; i < 10; i++)
      metrics.observeHttpRequest({
        method: 'GET',
        route: `/raw/${i}`,
        statusCode: 200,
        durationSeconds: 0.001,
      });
    metrics.observeHttpRequest({
      method: 'GET',
      route: '/raw/1',
      statusCode: 200,
      durationSeconds: 0.001,
    });
    metrics.observeRpcCall({
      service: 'a.B',
      method: 'Known',
      grpcStatusCode: 0,
      durationSeconds: 0.001,
    });
    metrics.observeRpcCall({
      service: 'a.B',
      method: 'Random123',
      grpcStatusCode: 12,
      durationSeconds: 0.001,
    });
    const { samples } = parsePromText(await metrics.metrics());
    expect(
      find(samples, 'http_server_request_duration_seconds_count').map((s) => [
        s.labels.http_route,
        s.value,
      ]),
    ).toEqual([
      ['/raw/0', 1],
      ['/raw/1', 2],
      ['/raw/2', 1],
      [OVERFLOW_LABEL_VALUE, 7],
    ]);
    expect(
      find(samples, 'rpc_server_call_duration_seconds_count').map((s) => [
        s.labels.rpc_service,
        s.labels.rpc_method,
      ]),
    ).toEqual([
      ['a.B', 'Known'],
      [OVERFLOW_LABEL_VALUE, OVERFLOW_LABEL_VALUE],
    ]);
    expect(warnings).toEqual([
      'KENOS_ERR_TELEMETRY_CARDINALITY',
      'KENOS_ERR_TELEMETRY_CARDINALITY',
    ]);
  });

  it('records gRPC calls by service, method and numeric status code', async () => {
    const metrics = createMetrics({
      service: 's',
      version: '1',
      collectDefaultMetrics: false,
    });
    metrics.observeRpcCall({
      service: 'kenos.v1.Greeter',
      method: 'SayHello',
      grpcStatusCode: 0,
      durationSeconds: 0.004,
    });
    metrics.observeRpcCall({
      service: 'kenos.v1.Greeter',
      method: 'SayHello',
      grpcStatusCode: 14,
      durationSeconds: 0.2,
    });
    const { samples } = parsePromText(await metrics.metrics());
    const counts = find(samples, 'rpc_server_call_duration_seconds_count', {
      rpc_service: 'kenos.v1.Greeter',
      rpc_method: 'SayHello',
    });
    expect(counts.map((s) => [s.labels.rpc_grpc_status_code, s.value])).toEqual(
      [
        ['0', 1],
        ['14', 1],
      ],
    );
  });

  it('counts jobs started, finished by result, in flight, their duration and the last success time', async () => {
    const metrics = createMetrics({
      service: 's',
      version: '1',
      collectDefaultMetrics: false,
    });
    const before = Date.now() / 1000;
    const endA = metrics.startJob('worker', 'send-email');
    const endB = metrics.startJob('worker', 'send-email');
    let parsed = parsePromText(await metrics.metrics()).samples;
    expect(
      find(parsed, 'kenos_jobs_in_flight', { job_name: 'send-email' })[0]
        ?.value,
    ).toBe(2);
    expect(endA()).toBeGreaterThanOrEqual(0);
    endB('failure');
    endB('success'); // a second end is ignored
    const endBatch = metrics.startJob('batch', 'nightly');
    endBatch('success');
    parsed = parsePromText(await metrics.metrics()).samples;
    expect(
      find(parsed, 'kenos_jobs_started_total', {
        job_kind: 'worker',
        job_name: 'send-email',
      })[0]?.value,
    ).toBe(2);
    expect(
      find(parsed, 'kenos_jobs_finished_total', {
        job_name: 'send-email',
        job_result: 'success',
      })[0]?.value,
    ).toBe(1);
    expect(
      find(parsed, 'kenos_jobs_finished_total', {
        job_name: 'send-email',
        job_result: 'failure',
      })[0]?.value,
    ).toBe(1);
    expect(
      find(parsed, 'kenos_jobs_in_flight', { job_name: 'send-email' })[0]
        ?.value,
    ).toBe(0);
    expect(
      find(parsed, 'kenos_job_duration_seconds_count', {
        job_name: 'send-email',
        job_result: 'failure',
      })[0]?.value,
    ).toBe(1);
    const last =
      find(parsed, 'kenos_job_last_success_timestamp_seconds', {
        job_kind: 'batch',
        job_name: 'nightly',
      })[0]?.value ?? 0;
    expect(last).toBeGreaterThanOrEqual(Math.floor(before));
    expect(last).toBeLessThanOrEqual(Date.now() / 1000 + 1);
  });

  it('registers on a given registry and reports this package version as the default kenos_version', async () => {
    const registry = new Registry();
    const metrics = createMetrics({
      service: 'a',
      version: '2',
      registry,
      collectDefaultMetrics: false,
      serviceLabel: false,
    });
    expect(metrics.registry).toBe(registry);
    const { samples } = parsePromText(await registry.metrics());
    expect(find(samples, 'kenos_build_info')[0]?.labels.kenos_version).toBe(
      kenosSdkVersion(),
    );
    expect(kenosSdkVersion()).toMatch(/^\d+\.\d+\.\d+/);
    expect(find(samples, 'http_server_request_duration_seconds_count')).toEqual(
      [],
    );
  });

  it('scrapes 50 routes x 5 status codes of history well under a probe period', async () => {
    const metrics = createMetrics({ service: 's', version: '1' });
    for (let r = 0; r < 50; r++) {
      for (const code of [200, 201, 400, 404, 500]) {
        metrics.observeHttpRequest({
          method: 'GET',
          route: `/r${r}/:id`,
          statusCode: code,
          durationSeconds: 0.01 * (r % 7),
        });
      }
    }
    const url = await serve(
      (req, res) => void metrics.metricsHandler(req, res),
    );
    await fetch(url).then((r) => r.text()); // warm up
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t = performance.now();
      const body = await fetch(url).then((r) => r.text());
      times.push(performance.now() - t);
      expect(body.length).toBeGreaterThan(100_000);
    }
    times.sort((a, b) => a - b);
    const median = times[5] ?? Infinity;
    console.log(
      `scrape of 250 series x 16 buckets: median ${median.toFixed(1)} ms, max ${(times[9] ?? 0).toFixed(1)} ms`,
    );
    // a kubelet probe period is 10 s and Prometheus scrape timeout 10 s; 1 s is a generous margin
    expect(median).toBeLessThan(1000);
  });
});
