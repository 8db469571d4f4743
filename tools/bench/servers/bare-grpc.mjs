// Anchor: the greeter's SayHello on a bare @grpc/grpc-js server (no interceptors).
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const protoRoot = new URL('../../../examples/greeter/proto/', import.meta.url).pathname;
const definition = protoLoader.loadSync('kenos/example/greeter/v1/greeter.proto', { includeDirs: [protoRoot] });
const pkg = grpc.loadPackageDefinition(definition);
const server = new grpc.Server();
server.addService(pkg.kenos.example.greeter.v1.GreeterService.service, {
  SayHello(call, callback) {
    callback(null, { message: `Hello, ${call.request.name}!` });
  },
});
server.bindAsync(`127.0.0.1:${process.env.GRPC_PORT ?? 0}`, grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err) throw err;
  console.log(`listening on ${port}`);
});
process.on('SIGTERM', () => server.tryShutdown(() => process.exit(0)));
