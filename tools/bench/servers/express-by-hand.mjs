// Anchor: what a team assembles by hand without Kenos — express 5 + pino-http
// (access log to a file) + a prom-client histogram with the route template.
import express from 'express';
import pino from 'pino';
import pinoHttp from 'pino-http';
import client from 'prom-client';
import { restHello } from './greeter-logic.mjs';
import { requestDurationHistogram } from './request-histogram.mjs';

const logFile = process.env.ACCESS_LOG_FILE ?? '/dev/null';
const logger = pino(pino.destination({ dest: logFile, sync: false }));
const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });
const duration = requestDurationHistogram(registry);

const app = express();
app.use(pinoHttp({ logger }));
app.use((req, res, next) => {
  const end = duration.startTimer();
  res.on('finish', () => {
    end({
      http_request_method: req.method,
      http_route: req.route?.path ?? 'unmatched',
      http_response_status_code: res.statusCode,
    });
  });
  next();
});
app.get('/v1/greetings/:name', restHello);
app.get('/metrics', async (_req, res) => {
  res.type(registry.contentType).send(await registry.metrics());
});
const server = app.listen(
  Number(process.env.HTTP_PORT ?? 0),
  '127.0.0.1',
  () => {
    console.log(`listening on ${server.address().port}`);
  },
);
server.keepAliveTimeout = 65_000;
process.on('SIGTERM', () =>
  server.close(() => logger.flush(() => process.exit(0))),
);
