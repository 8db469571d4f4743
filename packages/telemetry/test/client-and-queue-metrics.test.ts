import { describe, expect, it } from 'vitest';
import {
  KENOS_METRICS,
  OVERFLOW_LABEL_VALUE,
  createMetrics,
  getProcessMetrics,
  setProcessMetrics,
  type TelemetryLogger,
} from '../src/index.js';
import { parsePromText } from './prom-text.js';

function quiet(): { logger: TelemetryLogger; warnings: unknown[] } {
  const warnings: unknown[] = [];
  const logger = {
    warn: (obj: unknown) => void warnings.push(obj),
  } as unknown as TelemetryLogger;
  return { logger, warnings };
}

function metricsFor(extra: Parameters<typeof createMetrics>[0] | object = {}) {
  const { logger, warnings } = quiet();
  const metrics = createMetrics({
    service: 'orders',
    version: '1.0.0',
    collectDefaultMetrics: false,
    logger,
    ...extra,
  });
  const scrape = async () => parsePromText(await metrics.metrics()).samples;
  return { metrics, warnings, scrape };
}

describe('client metrics', () => {
  it('records each outgoing HTTP try by method, server address, status code and error type', async () => {
    const { metrics, scrape } = metricsFor();
    metrics.observeHttpClientRequest({
      method: 'get',
      serverAddress: 'users:8080',
      statusCode: 503,
      errorType: '503',
      durationSeconds: 0.02,
    });
    metrics.observeHttpClientRequest({
      method: 'GET',
      serverAddress: 'users:8080',
      statusCode: undefined,
      errorType: 'connection',
      durationSeconds: 0.001,
    });
    const counts = (await scrape()).filter(
      (s) => s.name === `${KENOS_METRICS.httpClientDuration.name}_count`,
    );
    expect(counts.map((s) => s.labels)).toEqual([
      {
        service: 'orders',
        http_request_method: 'GET',
        server_address: 'users:8080',
        http_response_status_code: '503',
        error_type: '503',
      },
      {
        service: 'orders',
        http_request_method: 'GET',
        server_address: 'users:8080',
        http_response_status_code: '',
        error_type: 'connection',
      },
    ]);
  });

  it('records server addresses beyond maxServerAddresses as (overflow) and warns once', async () => {
    const { metrics, warnings, scrape } = metricsFor({ maxServerAddresses: 1 });
    for (const address of ['a:1', 'b:1', 'c:1'])
      metrics.observeHttpClientRequest({
        method: 'GET',
        serverAddress: address,
        statusCode: 200,
        durationSeconds: 0.01,
      });
    const addresses = (await scrape())
      .filter(
        (s) => s.name === `${KENOS_METRICS.httpClientDuration.name}_count`,
      )
      .map((s) => [s.labels['server_address'], s.value]);
    expect(addresses).toEqual([
      ['a:1', 1],
      [OVERFLOW_LABEL_VALUE, 2],
    ]);
    expect(warnings).toHaveLength(1);
  });

  it('records each outgoing gRPC try by service, method and status code', async () => {
    const { metrics, scrape } = metricsFor();
    metrics.observeRpcClientCall({
      service: 'kenos.example.v1.Greeter',
      method: 'SayHello',
      grpcStatusCode: 14,
      durationSeconds: 0.03,
    });
    const count = (await scrape()).find(
      (s) => s.name === `${KENOS_METRICS.rpcClientDuration.name}_count`,
    );
    expect(count?.labels).toMatchObject({
      rpc_service: 'kenos.example.v1.Greeter',
      rpc_method: 'SayHello',
      rpc_grpc_status_code: '14',
    });
  });
});

describe('queue metrics', () => {
  it('reads the depth of every tracked queue at each scrape, reporting left-out states as 0', async () => {
    const { metrics, scrape } = metricsFor();
    let waiting = 3;
    metrics.trackQueueDepth('greetings', () => ({ waiting, failed: 1 }));
    const depth = async () =>
      Object.fromEntries(
        (await scrape())
          .filter((s) => s.name === KENOS_METRICS.queueJobs.name)
          .map((s) => [s.labels['job_state'], s.value]),
      );
    expect(await depth()).toEqual({
      waiting: 3,
      active: 0,
      delayed: 0,
      failed: 1,
    });
    waiting = 7;
    expect((await depth())['waiting']).toBe(7);
  });

  it('leaves a queue whose depth cannot be read out of the scrape, warns once, and stops tracking on request', async () => {
    const { metrics, warnings, scrape } = metricsFor();
    let down = true;
    const stop = metrics.trackQueueDepth('emails', async () => {
      if (down) throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
      return { waiting: 2 };
    });
    const series = async () =>
      (await scrape()).filter((s) => s.name === KENOS_METRICS.queueJobs.name);
    expect(await series()).toEqual([]);
    expect(await series()).toEqual([]);
    expect(warnings).toEqual([
      expect.objectContaining({
        code: 'KENOS_ERR_TELEMETRY_QUEUE_DEPTH',
        queue: 'emails',
      }),
    ]);
    down = false;
    expect(await series()).toHaveLength(4);
    stop();
    expect(await series()).toEqual([]);
  });

  it('records queue latency per job name and ignores values that are not finite', async () => {
    const { metrics, scrape } = metricsFor();
    metrics.observeJobQueueLatency('greetings', 0.5);
    metrics.observeJobQueueLatency('greetings', Number.NaN);
    const count = (await scrape()).find(
      (s) => s.name === `${KENOS_METRICS.jobQueueLatency.name}_count`,
    );
    expect(count).toMatchObject({
      labels: { job_name: 'greetings' },
      value: 1,
    });
  });
});

describe('process metrics', () => {
  it('are the metrics a service set, shared through a global symbol, until cleared', () => {
    const { metrics } = metricsFor();
    setProcessMetrics(metrics);
    expect(getProcessMetrics()).toBe(metrics);
    setProcessMetrics(undefined);
    expect(getProcessMetrics()).toBeUndefined();
  });
});
