import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

const require = createRequire(import.meta.url);
const OPTIONS = { keepCase: false, longs: String, enums: String, defaults: true, oneofs: true };

type Ctor = new (address: string, credentials: grpc.ChannelCredentials, options?: grpc.ClientOptions) => grpc.Client;

/** Loads a client constructor for `service` from `protoPath`. */
export function clientFor(protoPath: string, service: string, includeDirs: string[] = []): Ctor {
  const def = grpc.loadPackageDefinition(loadSync(protoPath, { ...OPTIONS, includeDirs }));
  const ctor = service.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], def);
  return ctor as Ctor;
}

/** Unary call as a promise, with the response metadata. */
export function unary<Res>(
  client: grpc.Client,
  method: string,
  request: unknown,
  metadata = new grpc.Metadata(),
  options: grpc.CallOptions = {},
): Promise<{ response?: Res; error?: grpc.ServiceError; metadata?: grpc.Metadata }> {
  return new Promise((resolve) => {
    let md: grpc.Metadata | undefined;
    const method_ = (client as unknown as Record<string, ((...a: unknown[]) => grpc.ClientUnaryCall) | undefined>)[method];
    if (!method_) throw new Error(`no method ${method}`);
    const fn = method_.bind(client);
    const call = fn(request, metadata, options, (error: grpc.ServiceError | null, response: Res) => {
      resolve(error ? { error, metadata: md } : { response, metadata: md });
    });
    call.on('metadata', (m: grpc.Metadata) => (md = m));
  });
}

export const healthProto = join(dirname(require.resolve('grpc-health-check/package.json')), 'proto/health/v1/health.proto');
export const reflectionProto = join(dirname(require.resolve('@grpc/reflection/package.json')), 'build/proto/grpc/reflection/v1/reflection.proto');

/** Lists services through server reflection v1 (`ServerReflectionInfo` list_services). */
export function listServices(address: string): Promise<string[]> {
  const Reflection = clientFor(reflectionProto, 'grpc.reflection.v1.ServerReflection');
  const client = new Reflection(address, grpc.credentials.createInsecure());
  return new Promise((resolve, reject) => {
    const call = (client as unknown as { serverReflectionInfo(): grpc.ClientDuplexStream<unknown, { listServicesResponse?: { service: { name: string }[] } }> }).serverReflectionInfo();
    call.on('data', (msg) => {
      resolve((msg.listServicesResponse?.service ?? []).map((s: { name: string }) => s.name));
      call.end();
      client.close();
    });
    call.on('error', reject);
    call.write({ listServices: '' });
  });
}
