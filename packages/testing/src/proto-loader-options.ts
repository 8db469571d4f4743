import type { Options as ProtoLoaderOptions } from '@grpc/proto-loader';

/**
 * The proto-loader options of every Kenos gRPC server and client: camelCase
 * field names (`keepCase: false`), 64-bit integers and enums as strings,
 * default values filled in, `oneofs` virtual fields. `@kenos/server` loads its
 * `.proto` files with this very object (its `GRPC_PROTO_LOADER_OPTIONS`), so
 * responses compare as plain objects. Frozen: copy it to change an option
 * (`{ ...PROTO_LOADER_OPTIONS, includeDirs }`). Generate handler types with the
 * same options:
 * `proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --grpcLib=@grpc/grpc-js`.
 */
export const PROTO_LOADER_OPTIONS: Readonly<ProtoLoaderOptions> = Object.freeze(
  {
    keepCase: false,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  },
);
