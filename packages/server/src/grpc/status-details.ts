import protobuf from 'protobufjs';
import type { FieldViolation } from '../service-error.js';

/** The trailer that carries a serialized `google.rpc.Status` (the gRPC rich error model). */
export const STATUS_DETAILS_TRAILER = 'grpc-status-details-bin';

/** The `google.rpc.ErrorInfo.domain` of every error a Kenos service answers. */
export const KENOS_ERROR_DOMAIN = 'kenos.dev';

const TYPE_PREFIX = 'type.googleapis.com/';
const ERROR_INFO_TYPE = `${TYPE_PREFIX}google.rpc.ErrorInfo`;
const BAD_REQUEST_TYPE = `${TYPE_PREFIX}google.rpc.BadRequest`;

/** `google.rpc.ErrorInfo`: why the call failed, as a stable machine-readable reason. */
export interface RpcErrorInfo {
  /** The stable error code, e.g. `KENOS_ERR_SERVER_NOT_FOUND`. */
  reason: string;
  /** Who defines `reason`; {@link KENOS_ERROR_DOMAIN} for Kenos services. */
  domain: string;
  /** Further structured details. */
  metadata: Record<string, string>;
}

/** A detail of a `google.rpc.Status` that this codec does not decode: its type URL and bytes. */
export interface RpcAnyDetail {
  typeUrl: string;
  value: Uint8Array;
}

/**
 * A `google.rpc.Status` as carried by `grpc-status-details-bin`, with the details Kenos uses decoded:
 * `google.rpc.ErrorInfo` and the field violations of `google.rpc.BadRequest`.
 */
export interface RpcStatusDetails {
  /** The gRPC status code. */
  code: number;
  /** The status message (the call's details text). */
  message: string;
  /** The first `google.rpc.ErrorInfo` detail, if any. */
  errorInfo: RpcErrorInfo | undefined;
  /** The field violations of every `google.rpc.BadRequest` detail. */
  fieldViolations: FieldViolation[];
  /** The details of other types, undecoded. */
  otherDetails: RpcAnyDetail[];
}

/** What {@link encodeStatusDetails} takes: code and message, plus the optional details. */
export interface RpcStatusDetailsInit {
  code: number;
  message: string;
  errorInfo?: RpcErrorInfo | undefined;
  fieldViolations?: readonly FieldViolation[] | undefined;
}

/** `map<string, string> metadata = 3` (protobufjs' `IField` type has no `keyType`). */
const MAP_OF_STRINGS_3: protobuf.IMapField = {
  keyType: 'string',
  type: 'string',
  id: 3,
};

// Field numbers copied from googleapis google/rpc/status.proto and google/rpc/error_details.proto,
// and google/protobuf/any.proto. Only the fields Kenos reads or writes; unknown fields are skipped.
const root = protobuf.Root.fromJSON({
  nested: {
    google: {
      nested: {
        protobuf: {
          nested: {
            Any: {
              fields: {
                type_url: { type: 'string', id: 1 },
                value: { type: 'bytes', id: 2 },
              },
            },
          },
        },
        rpc: {
          nested: {
            Status: {
              fields: {
                code: { type: 'int32', id: 1 },
                message: { type: 'string', id: 2 },
                details: {
                  rule: 'repeated',
                  type: 'google.protobuf.Any',
                  id: 3,
                },
              },
            },
            ErrorInfo: {
              fields: {
                reason: { type: 'string', id: 1 },
                domain: { type: 'string', id: 2 },
                metadata: MAP_OF_STRINGS_3,
              },
            },
            BadRequest: {
              fields: {
                field_violations: {
                  rule: 'repeated',
                  type: 'FieldViolation',
                  id: 1,
                },
              },
              nested: {
                FieldViolation: {
                  fields: {
                    field: { type: 'string', id: 1 },
                    description: { type: 'string', id: 2 },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
});
const Status = root.lookupType('google.rpc.Status');
const ErrorInfo = root.lookupType('google.rpc.ErrorInfo');
const BadRequest = root.lookupType('google.rpc.BadRequest');

interface AnyMessage {
  type_url: string;
  value: Uint8Array;
}
interface StatusMessage {
  code: number;
  message: string;
  details: AnyMessage[];
}
interface ErrorInfoMessage {
  reason: string;
  domain: string;
  metadata: Record<string, string>;
}
interface BadRequestMessage {
  field_violations: { field: string; description: string }[];
}

/** Serializes a `google.rpc.Status` with an `ErrorInfo` and a `BadRequest` detail (when given) for `grpc-status-details-bin`. */
export function encodeStatusDetails(status: RpcStatusDetailsInit): Buffer {
  const details: AnyMessage[] = [];
  if (status.errorInfo) {
    const info: ErrorInfoMessage = {
      reason: status.errorInfo.reason,
      domain: status.errorInfo.domain,
      metadata: status.errorInfo.metadata,
    };
    details.push({
      type_url: ERROR_INFO_TYPE,
      value: ErrorInfo.encode(ErrorInfo.fromObject(info)).finish(),
    });
  }
  if (status.fieldViolations && status.fieldViolations.length > 0) {
    const bad: BadRequestMessage = {
      field_violations: status.fieldViolations.map((v) => ({
        field: v.field,
        description: v.description,
      })),
    };
    details.push({
      type_url: BAD_REQUEST_TYPE,
      value: BadRequest.encode(BadRequest.fromObject(bad)).finish(),
    });
  }
  const message: StatusMessage = {
    code: status.code,
    message: status.message,
    details,
  };
  const bytes = Status.encode(Status.fromObject(message)).finish();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Decodes the bytes of a `grpc-status-details-bin` trailer; `undefined` when they are not a
 * `google.rpc.Status` (a detail that does not decode is kept in `otherDetails`).
 */
export function decodeStatusDetails(
  bytes: Uint8Array,
): RpcStatusDetails | undefined {
  let status: StatusMessage;
  try {
    status = Status.toObject(Status.decode(bytes), {
      defaults: true,
      arrays: true,
      objects: true,
    }) as StatusMessage;
  } catch {
    return undefined;
  }
  const result: RpcStatusDetails = {
    code: status.code,
    message: status.message,
    errorInfo: undefined,
    fieldViolations: [],
    otherDetails: [],
  };
  for (const detail of status.details) {
    try {
      if (detail.type_url === ERROR_INFO_TYPE && !result.errorInfo) {
        const info = ErrorInfo.toObject(ErrorInfo.decode(detail.value), {
          defaults: true,
          objects: true,
        }) as ErrorInfoMessage;
        result.errorInfo = {
          reason: info.reason,
          domain: info.domain,
          metadata: { ...info.metadata },
        };
        continue;
      }
      if (detail.type_url === BAD_REQUEST_TYPE) {
        const bad = BadRequest.toObject(BadRequest.decode(detail.value), {
          defaults: true,
          arrays: true,
        }) as BadRequestMessage;
        for (const v of bad.field_violations)
          result.fieldViolations.push({
            field: v.field,
            description: v.description,
          });
        continue;
      }
    } catch {
      // an undecodable detail is kept as it came
    }
    result.otherDetails.push({ typeUrl: detail.type_url, value: detail.value });
  }
  return result;
}
