// Context: fastify 5 with its logger on (access log to a file) — where the field's
// fastest mainstream framework stands.
import Fastify from 'fastify';
import pino from 'pino';
import { parseDelay, sayHello } from './greeter-logic.mjs';

const logFile = process.env.ACCESS_LOG_FILE ?? '/dev/null';
const app = Fastify({
  loggerInstance: pino(pino.destination({ dest: logFile, sync: false })),
});
app.get('/v1/greetings/:name', async (req, reply) => {
  try {
    return await sayHello({
      name: req.params.name,
      delayMs: parseDelay(req.query.delay_ms),
    });
  } catch (err) {
    return reply.code(400).send({ title: err.message });
  }
});
await app.listen({
  port: Number(process.env.HTTP_PORT ?? 0),
  host: '127.0.0.1',
});
console.log(`listening on ${app.server.address().port}`);
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
