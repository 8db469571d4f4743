// Context of the REST case: the bare-express anchor plus nothing but one raw pino access-log line
// per request (a request id, method, route, status, duration), written to a file in 4 KiB batches
// as Kenos writes its own. The access log is one of the required standard features: this side
// shows how much of the gap to bare express that single line takes before anything else is added.
import { randomUUID } from 'node:crypto';
import express from 'express';
import pino from 'pino';
import { restHello } from './greeter-logic.mjs';

const logger = pino(
  pino.destination({
    dest: process.env.ACCESS_LOG_FILE ?? '/dev/null',
    sync: true,
    minLength: 4096,
  }),
);
const app = express();
app.get('/v1/greetings/:name', restHello);
const server = app.listen(
  Number(process.env.HTTP_PORT ?? 0),
  '127.0.0.1',
  () => {
    console.log(`listening on ${server.address().port}`);
  },
);
server.on('request', (req, res) => {
  const start = performance.now();
  const requestId = randomUUID();
  res.once('close', () => {
    const http = {
      method: req.method,
      route: req.route?.path ?? 'unmatched',
      status: res.statusCode,
      duration_ms: Math.round((performance.now() - start) * 100) / 100,
    };
    logger.info({ request_id: requestId, http }, 'http request');
  });
});
server.keepAliveTimeout = 65_000;
process.on('SIGTERM', () =>
  server.close(() => (logger.flush(), process.exit(0))),
);
