import type { Options } from '@grpc/proto-loader';

/**
 * proto-loader options the gRPC transport loads `.proto` files with. Generate
 * handler types with the same options:
 * `proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --grpcLib=@grpc/grpc-js`.
 */
export const GRPC_PROTO_LOADER_OPTIONS: Options = {
  keepCase: false,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};
