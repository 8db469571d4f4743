import * as grpc from '@grpc/grpc-js';
import {
  ConflictError,
  DeadlineExceededError,
  NotFoundError,
  PermissionDeniedError,
  STATUS_DETAILS_TRAILER,
  ServiceError,
  UnauthenticatedError,
  UnavailableError,
  ValidationError,
  decodeStatusDetails,
  type RpcStatusDetails,
} from '@kenos/server';
import { ClientsError } from '../clients-error.js';

/** HTTP status of a gRPC code (as grpc-gateway maps them), for a `ServiceError` rebuilt from a call. */
const HTTP_STATUS: Readonly<Record<number, number>> = {
  [grpc.status.CANCELLED]: 499,
  [grpc.status.INVALID_ARGUMENT]: 400,
  [grpc.status.DEADLINE_EXCEEDED]: 504,
  [grpc.status.NOT_FOUND]: 404,
  [grpc.status.ALREADY_EXISTS]: 409,
  [grpc.status.PERMISSION_DENIED]: 403,
  [grpc.status.RESOURCE_EXHAUSTED]: 429,
  [grpc.status.FAILED_PRECONDITION]: 400,
  [grpc.status.ABORTED]: 409,
  [grpc.status.OUT_OF_RANGE]: 400,
  [grpc.status.UNIMPLEMENTED]: 501,
  [grpc.status.UNAVAILABLE]: 503,
  [grpc.status.UNAUTHENTICATED]: 401,
};

function statusDetailsOf(err: grpc.ServiceError): RpcStatusDetails | undefined {
  const raw = err.metadata?.get(STATUS_DETAILS_TRAILER)[0];
  return raw instanceof Uint8Array ? decodeStatusDetails(raw) : undefined;
}

/** The typed error of `@kenos/server` a Kenos service threw, rebuilt from its `ErrorInfo` reason. */
function fromReason(
  reason: string,
  message: string,
  code: number,
  details: RpcStatusDetails,
  cause: ClientsError,
): ServiceError {
  const options = { cause };
  switch (reason) {
    case 'KENOS_ERR_SERVER_VALIDATION':
      return new ValidationError(message, details.fieldViolations, options);
    case 'KENOS_ERR_SERVER_NOT_FOUND':
      return new NotFoundError(message, options);
    case 'KENOS_ERR_SERVER_CONFLICT':
      return new ConflictError(message, options);
    case 'KENOS_ERR_SERVER_PERMISSION_DENIED':
      return new PermissionDeniedError(message, options);
    case 'KENOS_ERR_SERVER_UNAUTHENTICATED':
      return new UnauthenticatedError(message, options);
    case 'KENOS_ERR_SERVER_UNAVAILABLE':
      return new UnavailableError(message, options);
    case 'KENOS_ERR_SERVER_DEADLINE_EXCEEDED':
      return new DeadlineExceededError(message, options);
    default:
      // a service's own ServiceError subclass: its code, status and violations
      return new ServiceError(message, {
        code: reason,
        httpStatus: HTTP_STATUS[code] ?? 500,
        grpcCode: code,
        violations: details.fieldViolations,
        cause,
      });
  }
}

/**
 * The error a failed call rejects with, as the HTTP client's: the typed error of `@kenos/server` that the called
 * service answered (from its `grpc-status-details-bin` trailer, or else from the status code), with the
 * `ClientsError` `KENOS_ERR_CLIENTS_GRPC_STATUS` (`status` the gRPC code, `cause` the grpc-js error) as its `cause`;
 * or, for a status with no typed error, that `ClientsError` itself. DEADLINE_EXCEEDED and CANCELLED without details
 * are handled by the caller, which knows whether its own deadline or signal ended the call.
 */
export function errorFromStatus(
  err: grpc.ServiceError,
  rpc: string,
): ServiceError | ClientsError {
  const details = statusDetailsOf(err);
  const message = err.details;
  const base = new ClientsError(
    'KENOS_ERR_CLIENTS_GRPC_STATUS',
    `${rpc} failed with ${grpc.status[err.code] ?? err.code}: ${message}`,
    { cause: err, status: err.code },
  );
  if (details?.errorInfo?.reason)
    return fromReason(
      details.errorInfo.reason,
      message,
      err.code,
      details,
      base,
    );
  const options = { cause: base };
  switch (err.code) {
    case grpc.status.INVALID_ARGUMENT:
      return new ValidationError(
        message,
        details?.fieldViolations ?? [],
        options,
      );
    case grpc.status.NOT_FOUND:
      return new NotFoundError(message, options);
    case grpc.status.ALREADY_EXISTS:
      return new ConflictError(message, options);
    case grpc.status.PERMISSION_DENIED:
      return new PermissionDeniedError(message, options);
    case grpc.status.UNAUTHENTICATED:
      return new UnauthenticatedError(message, options);
    case grpc.status.UNAVAILABLE:
      return new UnavailableError(`${rpc}: ${message}`, options);
    default:
      return base;
  }
}
