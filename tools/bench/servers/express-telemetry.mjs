// Subject of the telemetry case: the bare-express hello app plus exactly the @kenos/telemetry
// work @kenos/server does per request — instrumentHttpRequest: a server span from the incoming
// W3C context (no exporter configured) and the RED histogram with the route template — applied
// as @kenos/server applies it: around the express app in the server's request listener (an
// express middleware layer would add a router match and dispatch per request).
import { createServer } from 'node:http';
import express from 'express';
import {
  createMetrics,
  instrumentHttpRequest,
  startTracing,
} from '@kenos/telemetry';
import { restHello } from './greeter-logic.mjs';

startTracing({ serviceName: 'bench', serviceVersion: '1.0.0', env: {} });
const metrics = createMetrics({ service: 'bench', version: '1.0.0' });
// getRoute as @kenos/server's: the route's own template string when the router is mounted at the root
const getRoute = (req) =>
  req.route
    ? req.baseUrl
      ? `${req.baseUrl}${String(req.route.path)}`
      : String(req.route.path)
    : undefined;
const options = { metrics, getRoute };
const app = express();
app.get('/v1/greetings/:name', restHello);
const server = createServer((req, res) =>
  instrumentHttpRequest(req, res, () => app(req, res), options),
);
server.listen(Number(process.env.HTTP_PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening on ${server.address().port}`);
});
server.keepAliveTimeout = 65_000;
process.on('SIGTERM', () => server.close(() => process.exit(0)));
