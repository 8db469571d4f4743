// Context of the gRPC cases: the bare grpc-js anchor plus nothing but one raw pino access-log line
// per call (a request id, service, method, status, duration), written to a file in 4 KiB batches
// as Kenos writes its own: how much of the gap to bare grpc-js that single required line takes.
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { sayHello } from './greeter-logic.mjs';
import { serveGreeterGrpc } from './greeter-grpc.mjs';

const logger = pino(
  pino.destination({
    dest: process.env.ACCESS_LOG_FILE ?? '/dev/null',
    sync: true,
    minLength: 4096,
  }),
);
const service = 'kenos.example.greeter.v1.GreeterService';

serveGreeterGrpc(
  (call, callback) => {
    const start = performance.now();
    const requestId = randomUUID();
    const done = (code, err, response) => {
      const rpc = {
        service,
        method: 'SayHello',
        code,
        duration_ms: Math.round((performance.now() - start) * 100) / 100,
      };
      logger.info({ request_id: requestId, rpc }, 'grpc call');
      callback(err, response);
    };
    sayHello({
      name: call.request.name,
      delayMs: call.request.delayMs ?? 0,
    }).then(
      (response) => done(0, null, response),
      (err) => done(3, { code: 3, details: err.message }),
    );
  },
  () => logger.flush(),
);
