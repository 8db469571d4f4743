// Subject of the telemetry case: the bare-express hello app plus exactly the @kenos/telemetry
// work @kenos/server does per request — a server span from the incoming W3C context (no
// exporter configured) and the RED histogram with the route template.
import express from 'express';
import { createMetrics, startTracing, UNMATCHED_ROUTE, withSpan } from '@kenos/telemetry';

startTracing({ serviceName: 'bench', serviceVersion: '1.0.0', env: {} });
const metrics = createMetrics({ service: 'bench', version: '1.0.0' });
const app = express();
app.use((req, res, next) => {
  const started = performance.now();
  void withSpan({ name: req.method, kind: 'server', carrier: req.headers }, (span) =>
    new Promise((resolve) => {
      res.once('close', () => {
        const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : UNMATCHED_ROUTE;
        span.updateName(`${req.method} ${route}`);
        span.setAttribute('http.route', route);
        span.setAttribute('http.response.status_code', res.statusCode);
        metrics.observeHttpRequest({ method: req.method, route, statusCode: res.statusCode, durationSeconds: (performance.now() - started) / 1000 });
        resolve();
      });
      next();
    }),
  );
});
app.get('/v1/greetings/:name', (req, res) => {
  res.json({ message: `Hello, ${req.params.name}!` });
});
const server = app.listen(Number(process.env.HTTP_PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening on ${server.address().port}`);
});
server.keepAliveTimeout = 65_000;
process.on('SIGTERM', () => server.close(() => process.exit(0)));
