import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { createGrpcClient } from './grpc-client.js';
import { TestingError } from './testing-error.js';

/** Options of {@link listGrpcServices}. */
export interface ListGrpcServicesOptions {
  /** Give up after this many milliseconds. Default 5000. */
  deadlineMs?: number;
}

interface ReflectionResponse {
  listServicesResponse?: { service?: { name: string }[] };
  errorResponse?: { errorCode: number; errorMessage: string };
}

const require = createRequire(import.meta.url);
// The reflection .proto ships with @grpc/reflection, the server side every Kenos service runs.
const REFLECTION_PROTO = join(
  dirname(require.resolve('@grpc/reflection/package.json')),
  'build/proto/grpc/reflection/v1/reflection.proto',
);

/**
 * Lists the services a server exposes through gRPC server reflection v1
 * (`ServerReflectionInfo` with `list_services`), as grpcurl and grpcui do.
 * Rejects with the gRPC error when the server has no reflection service.
 */
export function listGrpcServices(
  address: string,
  options: ListGrpcServicesOptions = {},
): Promise<string[]> {
  const client = createGrpcClient({
    protoPath: REFLECTION_PROTO,
    service: 'grpc.reflection.v1.ServerReflection',
    address,
  });
  const open = (client as unknown as Record<string, unknown>)[
    'ServerReflectionInfo'
  ] as (
    this: grpc.Client,
    metadata: grpc.Metadata,
    callOptions: grpc.CallOptions,
  ) => grpc.ClientDuplexStream<unknown, ReflectionResponse>;
  const call = open.call(client, new grpc.Metadata(), {
    deadline: Date.now() + (options.deadlineMs ?? 5000),
  });
  return new Promise<string[]>((resolve, reject) => {
    call.once('data', (msg: ReflectionResponse) => {
      call.end();
      if (msg.errorResponse)
        reject(
          new TestingError(
            'KENOS_ERR_TESTING_GRPC_SERVICE',
            `reflection error: ${msg.errorResponse.errorMessage}`,
          ),
        );
      else
        resolve((msg.listServicesResponse?.service ?? []).map((s) => s.name));
    });
    call.once('error', reject);
    call.write({ listServices: '' });
  }).finally(() => client.close());
}
