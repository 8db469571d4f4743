// Load generator for gRPC (a grpc-js client): keeps `concurrency` unary SayHello calls in
// flight for `durationMs` and prints `{ "calls": n, "seconds": s, "errors": e }`.
// Note: on a 2-core machine a grpc-js client saturates before the server does, so this
// measures the client-server pair; h2load measures server capacity.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const [target, durationMs = '1000', concurrency = '32'] = process.argv.slice(2);
const protoRoot = new URL('../../../examples/greeter/proto/', import.meta.url)
  .pathname;
const definition = protoLoader.loadSync(
  'kenos/example/greeter/v1/greeter.proto',
  { includeDirs: [protoRoot] },
);
const pkg = grpc.loadPackageDefinition(definition);
const client = new pkg.kenos.example.greeter.v1.GreeterService(
  target,
  grpc.credentials.createInsecure(),
);

let calls = 0;
let errors = 0;
const end = Date.now() + Number(durationMs);
const start = process.hrtime.bigint();
async function worker() {
  while (Date.now() < end) {
    await new Promise((resolve) => {
      client.SayHello({ name: 'bench' }, (err) => {
        if (err) errors++;
        else calls++;
        resolve();
      });
    });
  }
}
await Promise.all(Array.from({ length: Number(concurrency) }, worker));
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
client.close();
console.log(JSON.stringify({ calls, seconds, errors }));
