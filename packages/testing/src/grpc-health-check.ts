import * as grpc from '@grpc/grpc-js';
import { fromJSON } from '@grpc/proto-loader';
import { findServiceConstructor, unary } from './grpc-client.js';
import { PROTO_LOADER_OPTIONS } from './proto-loader-options.js';

/** A `grpc.health.v1.HealthCheckResponse.ServingStatus`. */
export type ServingStatus =
  | 'UNKNOWN'
  | 'SERVING'
  | 'NOT_SERVING'
  | 'SERVICE_UNKNOWN';

/** Options of {@link grpcHealthCheck}. */
export interface GrpcHealthCheckOptions {
  /** Deadline of the call in milliseconds. Default `5000`. */
  deadlineMs?: number;
}

/**
 * The standard `grpc/health/v1/health.proto` (package `grpc.health.v1`) as a
 * protobufjs JSON descriptor, so the package ships no `.proto` file.
 */
const HEALTH_DESCRIPTOR: Parameters<typeof fromJSON>[0] = {
  nested: {
    grpc: {
      nested: {
        health: {
          nested: {
            v1: {
              nested: {
                HealthCheckRequest: {
                  fields: { service: { type: 'string', id: 1 } },
                },
                HealthCheckResponse: {
                  fields: { status: { type: 'ServingStatus', id: 1 } },
                  nested: {
                    ServingStatus: {
                      values: {
                        UNKNOWN: 0,
                        SERVING: 1,
                        NOT_SERVING: 2,
                        SERVICE_UNKNOWN: 3,
                      },
                    },
                  },
                },
                Health: {
                  methods: {
                    Check: {
                      requestType: 'HealthCheckRequest',
                      responseType: 'HealthCheckResponse',
                      comment: '',
                    },
                    Watch: {
                      requestType: 'HealthCheckRequest',
                      responseType: 'HealthCheckResponse',
                      responseStream: true,
                      comment: '',
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

let HealthClient: ReturnType<typeof findServiceConstructor> | undefined;

/**
 * Calls `grpc.health.v1.Health/Check` for `service` (default `''`, the whole
 * server) at `address` and resolves with the serving status. Rejects with the
 * gRPC error, e.g. `NOT_FOUND` for a service the server does not know or
 * `UNIMPLEMENTED` without a health service.
 */
export async function grpcHealthCheck(
  address: string,
  service = '',
  options: GrpcHealthCheckOptions = {},
): Promise<ServingStatus> {
  HealthClient ??= findServiceConstructor(
    grpc.loadPackageDefinition(
      fromJSON(HEALTH_DESCRIPTOR, PROTO_LOADER_OPTIONS),
    ),
    'grpc.health.v1.Health',
    'grpc/health/v1/health.proto',
  );
  const client = new HealthClient(address, grpc.credentials.createInsecure());
  try {
    const result = await unary<{ status: ServingStatus }>(
      client,
      'Check',
      { service },
      options.deadlineMs === undefined
        ? {}
        : { deadlineMs: options.deadlineMs },
    );
    if (result.error) throw result.error;
    return result.response?.status ?? 'UNKNOWN';
  } finally {
    client.close();
  }
}
