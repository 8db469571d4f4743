// A gRPC handler that makes one downstream call: SayHello on a bare @grpc/grpc-js server (127.0.0.1:GRPC_PORT,
// announced as `listening on <port>`) answers with what SayHello of DOWNSTREAM (another greeter server) answered.
// CLIENT=bare: the downstream call through a bare grpc-js client, passing the call's deadline on by hand.
// CLIENT=kenos: through createGrpcClient of @kenos/clients inside the call scope the Kenos transport opens
// (request id, deadline), with the process metrics and tracing (no exporter) a Kenos service runs with.
// Both clients send the same message and keep one channel; only the client differs.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { createGrpcClient } from '@kenos/clients';
import { runInCallScope } from '@kenos/server';
import {
  createMetrics,
  setProcessMetrics,
  startTracing,
} from '@kenos/telemetry';
import { serveGreeterGrpc } from './greeter-grpc.mjs';

const protoRoot = new URL('../../../examples/greeter/proto/', import.meta.url)
  .pathname;
const pkg = grpc.loadPackageDefinition(
  protoLoader.loadSync('kenos/example/greeter/v1/greeter.proto', {
    includeDirs: [protoRoot],
  }),
);
const GreeterService = pkg.kenos.example.greeter.v1.GreeterService;
const downstream = process.env.DOWNSTREAM;
if (!downstream) throw new Error('DOWNSTREAM (host:port) is required');

let sayHello;
if (process.env.CLIENT === 'kenos') {
  setProcessMetrics(
    createMetrics({ service: 'bench-front', version: '0.0.0' }),
  );
  startTracing({
    serviceName: 'bench-front',
    serviceVersion: '0.0.0',
    env: {},
  });
  const client = createGrpcClient(GreeterService, downstream);
  let n = 0;
  sayHello = (call, callback) => {
    const deadline = call.getDeadline();
    const scope = {
      requestId: `bench-${n++}`,
      deadline: deadline === Infinity ? undefined : Number(deadline),
      signal: undefined,
    };
    runInCallScope(scope, () => client.sayHello(call.request)).then(
      (response) => callback(null, response),
      (err) => callback({ code: grpc.status.INTERNAL, details: err.message }),
    );
  };
} else {
  const client = new GreeterService(
    downstream,
    grpc.credentials.createInsecure(),
  );
  sayHello = (call, callback) => {
    const deadline = call.getDeadline();
    client.SayHello(
      call.request,
      { deadline: deadline === Infinity ? Date.now() + 10_000 : deadline },
      (err, response) =>
        err
          ? callback({ code: grpc.status.INTERNAL, details: err.message })
          : callback(null, response),
    );
  };
}

serveGreeterGrpc(sayHello);
