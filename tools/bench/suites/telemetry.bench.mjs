// @kenos/telemetry: the per-request metrics + tracing work against the same express app without
// it, and a /metrics scrape with 50 routes × 5 status codes of history against bare prom-client
// with the same histogram (and no default metrics).
import client from 'prom-client';
import { API_LATENCY_BUCKETS, createMetrics } from '@kenos/telemetry';
import { opsPerSecond } from '../src/index.mjs';
import {
  bareExpressSide,
  restHelloCase,
  serverScriptSide,
} from '../src/rest-cases.mjs';

const STATUSES = [200, 201, 400, 404, 500];
const routes = Array.from({ length: 50 }, (_, i) => `/v1/resource-${i}/:id`);

function fill(observe) {
  for (const route of routes)
    for (const statusCode of STATUSES)
      for (let k = 0; k < 5; k++) observe(route, statusCode, 0.001 * (k + 1));
}

export default {
  name: 'telemetry',
  cases: [
    restHelloCase('REST hello through metrics + tracing (no exporter)', {
      target: { min: 0.9 },
      anchor: bareExpressSide('same express app without telemetry'),
      subject: serverScriptSide(
        'express + @kenos/telemetry',
        'express-telemetry.mjs',
      ),
      context: [
        serverScriptSide(
          'same app + one AsyncLocalStorage.run + one prom-client histogram observation',
          'express-als-histogram.mjs',
        ),
      ],
    }),
    {
      name: 'scrape /metrics, 50 routes × 5 status codes',
      unit: 'scrapes/s',
      anchor: {
        name: 'bare prom-client, same histogram only',
        setup: () => {
          const registry = new client.Registry();
          const h = new client.Histogram({
            name: 'http_server_request_duration_seconds',
            help: 'HTTP server request duration',
            labelNames: [
              'http_request_method',
              'http_route',
              'http_response_status_code',
            ],
            buckets: [...API_LATENCY_BUCKETS],
            registers: [registry],
          });
          fill((route, code, s) =>
            h.observe(
              {
                http_request_method: 'GET',
                http_route: route,
                http_response_status_code: code,
              },
              s,
            ),
          );
          return registry;
        },
        measure: (registry, { durationMs }) =>
          opsPerSecond(() => registry.metrics(), durationMs, { batch: 4 }),
      },
      subject: {
        name: '@kenos/telemetry registry (with runtime metrics)',
        setup: () => {
          const m = createMetrics({
            service: 'bench',
            version: '1.0.0',
            registry: new client.Registry(),
          });
          fill((route, statusCode, durationSeconds) =>
            m.observeHttpRequest({
              method: 'GET',
              route,
              statusCode,
              durationSeconds,
            }),
          );
          return m;
        },
        measure: (m, { durationMs }) =>
          opsPerSecond(() => m.metrics(), durationMs, { batch: 4 }),
      },
    },
  ],
};
