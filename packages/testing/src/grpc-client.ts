import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { PROTO_LOADER_OPTIONS } from './proto-loader-options.js';
import { TestingError } from './testing-error.js';

/** Options of {@link createGrpcClient}. */
export interface GrpcClientOptions {
  /** The `.proto` file that declares the service. */
  protoPath: string;
  /** Directories searched for `import`s of the `.proto`. Default `[]`. */
  includeDirs?: string[];
  /** Fully qualified service name, e.g. `kenos.example.greeter.v1.GreeterService`. */
  service: string;
  /** `host:port` of the server, e.g. `service.grpcAddress()`. */
  address: string;
  /** Channel credentials. Default `grpc.credentials.createInsecure()`. */
  credentials?: grpc.ChannelCredentials;
  /** Client options, e.g. `{ interceptors: [...] }`. Default `{}`. */
  clientOptions?: grpc.ClientOptions;
}

/** Options of one {@link unary} call. */
export interface UnaryOptions {
  /** Deadline of the call in milliseconds. Default `5000`. */
  deadlineMs?: number;
  /** Request metadata: a `grpc.Metadata` or plain `key: value` pairs. Default none. */
  metadata?: grpc.Metadata | Record<string, string>;
}

/** Outcome of {@link unary}: exactly one of `response` and `error` is set. */
export interface UnaryResult<Res> {
  /** The response message, on success. */
  response?: Res;
  /** The gRPC error (`error.code` is a `grpc.status`), on failure. */
  error?: grpc.ServiceError;
  /** The response headers (initial metadata), when the server sent any. */
  metadata?: grpc.Metadata;
}

const DEFAULT_DEADLINE_MS = 5000;

type ClientConstructor = new (
  address: string,
  credentials: grpc.ChannelCredentials,
  options?: grpc.ClientOptions,
) => grpc.Client;

/** Resolves `service` (`pkg.sub.Service`) in a loaded gRPC object; throws `KENOS_ERR_TESTING_GRPC_SERVICE` when absent. */
export function findServiceConstructor(
  root: grpc.GrpcObject,
  service: string,
  source: string,
): ClientConstructor {
  let node: unknown = root;
  for (const part of service.split('.'))
    node = (node as Record<string, unknown> | undefined)?.[part];
  if (typeof node !== 'function' || !('service' in node)) {
    throw new TestingError(
      'KENOS_ERR_TESTING_GRPC_SERVICE',
      `service ${service} is not declared in ${source}`,
    );
  }
  return node as unknown as ClientConstructor;
}

/**
 * Loads `service` from `protoPath` with proto-loader and returns a grpc-js
 * client connected (lazily) to `address`. Close it with `client.close()`.
 * Throws `KENOS_ERR_TESTING_GRPC_SERVICE` when the `.proto` does not declare the service.
 */
export function createGrpcClient<C extends grpc.Client = grpc.Client>(
  options: GrpcClientOptions,
): C {
  const definition = loadSync(options.protoPath, {
    ...PROTO_LOADER_OPTIONS,
    includeDirs: options.includeDirs ?? [],
  });
  const Client = findServiceConstructor(
    grpc.loadPackageDefinition(definition),
    options.service,
    options.protoPath,
  );
  return new Client(
    options.address,
    options.credentials ?? grpc.credentials.createInsecure(),
    options.clientOptions ?? {},
  ) as C;
}

/**
 * Calls the unary `method` (as named in the `.proto`, e.g. `SayHello`, or
 * camelCase) and resolves with the response or the gRPC error; it never
 * rejects for a gRPC status. Throws `KENOS_ERR_TESTING_GRPC_SERVICE` when the
 * client has no such method.
 */
export function unary<Res = unknown>(
  client: grpc.Client,
  method: string,
  request: unknown,
  options: UnaryOptions = {},
): Promise<UnaryResult<Res>> {
  const fn = (client as unknown as Record<string, unknown>)[method];
  if (typeof fn !== 'function') {
    throw new TestingError(
      'KENOS_ERR_TESTING_GRPC_SERVICE',
      `the client has no method ${method}`,
    );
  }
  const metadata = toMetadata(options.metadata);
  const deadline = Date.now() + (options.deadlineMs ?? DEFAULT_DEADLINE_MS);
  return new Promise((resolve) => {
    let headers: grpc.Metadata | undefined;
    const callback = (
      error: grpc.ServiceError | null,
      response?: Res,
    ): void => {
      const base = headers ? { metadata: headers } : {};
      resolve(
        error ? { ...base, error } : { ...base, response: response as Res },
      );
    };
    const call = (fn as (...a: unknown[]) => grpc.ClientUnaryCall).call(
      client,
      request,
      metadata,
      { deadline },
      callback,
    );
    call.on('metadata', (m: grpc.Metadata) => (headers = m));
  });
}

function toMetadata(input: UnaryOptions['metadata']): grpc.Metadata {
  if (input instanceof grpc.Metadata) return input;
  const metadata = new grpc.Metadata();
  for (const [key, value] of Object.entries(input ?? {}))
    metadata.set(key, value);
  return metadata;
}
