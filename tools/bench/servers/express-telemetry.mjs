// Subject of the telemetry case: the bare-express hello app plus exactly the @kenos/telemetry
// work @kenos/server does per request — instrumentHttpRequest: a server span from the incoming
// W3C context (no exporter configured) and the RED histogram with the route template.
import express from 'express';
import { createMetrics, instrumentHttpRequest, startTracing } from '@kenos/telemetry';

startTracing({ serviceName: 'bench', serviceVersion: '1.0.0', env: {} });
const metrics = createMetrics({ service: 'bench', version: '1.0.0' });
const getRoute = (req) => (req.route ? `${req.baseUrl}${String(req.route.path)}` : undefined);
const app = express();
app.use((req, res, next) => instrumentHttpRequest(req, res, next, { metrics, getRoute }));
app.get('/v1/greetings/:name', (req, res) => {
  res.json({ message: `Hello, ${req.params.name}!` });
});
const server = app.listen(Number(process.env.HTTP_PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening on ${server.address().port}`);
});
server.keepAliveTimeout = 65_000;
process.on('SIGTERM', () => server.close(() => process.exit(0)));
