import type * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';

// An independent decoder of `grpc-status-details-bin`: the googleapis .proto text (field numbers as in
// google/rpc/status.proto, google/rpc/error_details.proto and google/protobuf/any.proto), parsed by protobufjs.
const { root } = protobuf.parse(`
syntax = "proto3";
package google.rpc;
message Any { string type_url = 1; bytes value = 2; }
message Status { int32 code = 1; string message = 2; repeated Any details = 3; }
message ErrorInfo { string reason = 1; string domain = 2; map<string, string> metadata = 3; }
message BadRequest {
  message FieldViolation { string field = 1; string description = 2; }
  repeated FieldViolation field_violations = 1;
}
`);

/** What the standard `grpc-status-details-bin` trailer of `error` says, decoded from the raw bytes. */
export function rpcStatusOf(error: grpc.ServiceError | null | undefined): {
  code: number;
  message: string;
  details: { typeUrl: string; value: Record<string, unknown> }[];
} {
  const raw = error?.metadata.get('grpc-status-details-bin')[0];
  if (!Buffer.isBuffer(raw))
    throw new Error('no grpc-status-details-bin trailer');
  const Status = root.lookupType('google.rpc.Status');
  const status = Status.toObject(Status.decode(raw), {
    defaults: true,
    arrays: true,
  }) as {
    code: number;
    message: string;
    details: { typeUrl: string; value: Uint8Array }[];
  };
  return {
    code: status.code,
    message: status.message,
    details: status.details.map((d) => {
      const name = d.typeUrl.replace(/^type\.googleapis\.com\//, '');
      const Type = root.lookupType(name);
      return {
        typeUrl: d.typeUrl,
        value: Type.toObject(Type.decode(d.value), {
          defaults: true,
          arrays: true,
          objects: true,
        }),
      };
    }),
  };
}
