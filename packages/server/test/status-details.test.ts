import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import {
  KENOS_ERROR_DOMAIN,
  decodeStatusDetails,
  encodeStatusDetails,
} from '../src/index.js';

// the googleapis definitions, parsed from .proto text: an encoder independent of the codec's descriptor
const { root } = protobuf.parse(`
syntax = "proto3";
package google.rpc;
message Any { string type_url = 1; bytes value = 2; }
message Status { int32 code = 1; string message = 2; repeated Any details = 3; }
message RetryInfo { int64 seconds = 1; }
message BadRequest {
  message FieldViolation { string field = 1; string description = 2; string reason = 3; }
  repeated FieldViolation field_violations = 1;
}
`);

describe('grpc-status-details-bin codec', () => {
  it('round-trips a status with an ErrorInfo and field violations', () => {
    const bytes = encodeStatusDetails({
      code: 3,
      message: 'bad input',
      errorInfo: {
        reason: 'KENOS_ERR_SERVER_VALIDATION',
        domain: KENOS_ERROR_DOMAIN,
        metadata: { limit: '10' },
      },
      fieldViolations: [{ field: 'name', description: 'is required' }],
    });
    expect(decodeStatusDetails(bytes)).toEqual({
      code: 3,
      message: 'bad input',
      errorInfo: {
        reason: 'KENOS_ERR_SERVER_VALIDATION',
        domain: 'kenos.dev',
        metadata: { limit: '10' },
      },
      fieldViolations: [{ field: 'name', description: 'is required' }],
      otherDetails: [],
    });
  });

  it('decodes a status written by another encoder and keeps details of other types', () => {
    const Status = root.lookupType('google.rpc.Status');
    const BadRequest = root.lookupType('google.rpc.BadRequest');
    const RetryInfo = root.lookupType('google.rpc.RetryInfo');
    const retry = RetryInfo.encode({ seconds: 2 }).finish();
    const bytes = Status.encode({
      code: 3,
      message: 'nope',
      details: [
        {
          typeUrl: 'type.googleapis.com/google.rpc.BadRequest',
          value: BadRequest.encode({
            fieldViolations: [
              { field: 'a', description: 'too long', reason: 'LENGTH' },
            ],
          }).finish(),
        },
        { typeUrl: 'type.googleapis.com/google.rpc.RetryInfo', value: retry },
      ],
    }).finish();
    const decoded = decodeStatusDetails(bytes);
    expect(decoded?.errorInfo).toBeUndefined();
    expect(decoded?.fieldViolations).toEqual([
      { field: 'a', description: 'too long' },
    ]);
    expect(decoded?.otherDetails.map((d) => d.typeUrl)).toEqual([
      'type.googleapis.com/google.rpc.RetryInfo',
    ]);
    expect(Buffer.from(decoded?.otherDetails[0]?.value ?? [])).toEqual(
      Buffer.from(retry),
    );
  });

  it('answers undefined for bytes that are not a google.rpc.Status', () => {
    expect(
      decodeStatusDetails(Buffer.from([0xff, 0xff, 0xff])),
    ).toBeUndefined();
  });
});
