// Context of the telemetry case: the same express app plus only the least that request
// telemetry needs — one AsyncLocalStorage.run per request (the active context handlers and log
// lines read) and one prom-client histogram observation with the route template when the
// response closes. No span, no ids, no propagation: the floor under any tracing + RED metrics.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createServer } from 'node:http';
import express from 'express';
import client from 'prom-client';
import { restHello } from './greeter-logic.mjs';
import { requestDurationHistogram } from './request-histogram.mjs';

const storage = new AsyncLocalStorage();
const registry = new client.Registry();
const duration = requestDurationHistogram(registry);
const app = express();
app.get('/v1/greetings/:name', restHello);
const server = createServer((req, res) => {
  const start = performance.now();
  res.once('close', () => {
    const route = req.route
      ? req.baseUrl
        ? `${req.baseUrl}${String(req.route.path)}`
        : String(req.route.path)
      : 'unmatched';
    duration.observe(
      {
        http_request_method: req.method,
        http_route: route,
        http_response_status_code: res.statusCode,
      },
      (performance.now() - start) / 1000,
    );
  });
  storage.run({ start }, () => app(req, res));
});
server.listen(Number(process.env.HTTP_PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening on ${server.address().port}`);
});
server.keepAliveTimeout = 65_000;
process.on('SIGTERM', () => server.close(() => process.exit(0)));
