import type { Options } from '@grpc/proto-loader';
import { PROTO_LOADER_OPTIONS } from '@kenos/testing';

/**
 * proto-loader options the gRPC transport loads `.proto` files with: the
 * frozen `PROTO_LOADER_OPTIONS` of `@kenos/testing` (the same object, defined
 * once, so the test kit's clients decode exactly as the server does). Copy it to
 * change an option. Generate handler types with the same options:
 * `proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --grpcLib=@grpc/grpc-js`.
 */
export const GRPC_PROTO_LOADER_OPTIONS: Readonly<Options> =
  PROTO_LOADER_OPTIONS;
