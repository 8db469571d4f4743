// The gRPC servers of the anchors: the greeter's SayHello (its .proto, proto-loader's default
// options) on a bare @grpc/grpc-js server on 127.0.0.1:GRPC_PORT, announced as `listening on <port>`.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const protoRoot = new URL('../../../examples/greeter/proto/', import.meta.url)
  .pathname;

/** Serves `sayHello` as `kenos.example.greeter.v1.GreeterService/SayHello`; SIGTERM runs `onStop` (if any) after the drain, then exits 0. */
export function serveGreeterGrpc(sayHello, onStop = undefined) {
  const definition = protoLoader.loadSync(
    'kenos/example/greeter/v1/greeter.proto',
    { includeDirs: [protoRoot] },
  );
  const pkg = grpc.loadPackageDefinition(definition);
  const server = new grpc.Server();
  server.addService(pkg.kenos.example.greeter.v1.GreeterService.service, {
    SayHello: sayHello,
  });
  server.bindAsync(
    `127.0.0.1:${process.env.GRPC_PORT ?? 0}`,
    grpc.ServerCredentials.createInsecure(),
    (err, port) => {
      if (err) throw err;
      console.log(`listening on ${port}`);
    },
  );
  process.on('SIGTERM', () =>
    server.tryShutdown(() => {
      onStop?.();
      process.exit(0);
    }),
  );
}
