// Context of the gRPC cases: the bare grpc-js anchor plus nothing but one raw pino access-log line
// per call (a request id, service, method, status, duration), written to a file in 4 KiB batches
// as Kenos writes its own: how much of the gap to bare grpc-js that single required line takes.
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import pino from 'pino';
import { sayHello } from './greeter-logic.mjs';

const logger = pino(pino.destination({ dest: process.env.ACCESS_LOG_FILE ?? '/dev/null', sync: true, minLength: 4096 }));
const protoRoot = new URL('../../../examples/greeter/proto/', import.meta.url).pathname;
const definition = protoLoader.loadSync('kenos/example/greeter/v1/greeter.proto', { includeDirs: [protoRoot] });
const pkg = grpc.loadPackageDefinition(definition);
const service = 'kenos.example.greeter.v1.GreeterService';
const server = new grpc.Server();
server.addService(pkg.kenos.example.greeter.v1.GreeterService.service, {
  SayHello(call, callback) {
    const start = performance.now();
    const requestId = randomUUID();
    const done = (code, err, response) => {
      const rpc = { service, method: 'SayHello', code, duration_ms: Math.round((performance.now() - start) * 100) / 100 };
      logger.info({ request_id: requestId, rpc }, 'grpc call');
      callback(err, response);
    };
    sayHello({ name: call.request.name, delayMs: call.request.delayMs ?? 0 }).then(
      (response) => done(0, null, response),
      (err) => done(3, { code: 3, details: err.message }),
    );
  },
});
server.bindAsync(`127.0.0.1:${process.env.GRPC_PORT ?? 0}`, grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err) throw err;
  console.log(`listening on ${port}`);
});
process.on('SIGTERM', () => server.tryShutdown(() => (logger.flush(), process.exit(0))));
