// Anchor: the greeter's SayHello (its own use case) on a bare @grpc/grpc-js server (no interceptors).
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { grpcSayHello } from './greeter-logic.mjs';

const protoRoot = new URL('../../../examples/greeter/proto/', import.meta.url).pathname;
const definition = protoLoader.loadSync('kenos/example/greeter/v1/greeter.proto', { includeDirs: [protoRoot] });
const pkg = grpc.loadPackageDefinition(definition);
const server = new grpc.Server();
server.addService(pkg.kenos.example.greeter.v1.GreeterService.service, {
  SayHello: grpcSayHello,
});
server.bindAsync(`127.0.0.1:${process.env.GRPC_PORT ?? 0}`, grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err) throw err;
  console.log(`listening on ${port}`);
});
process.on('SIGTERM', () => server.tryShutdown(() => process.exit(0)));
