/**
 * gRPC status codes used by the typed errors (numeric values of `@grpc/grpc-js`'s
 * `status`), declared here so importing the errors does not load grpc-js.
 */
export const GrpcCode = {
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

/** One problem with one field of a request, reported in problem+json `errors` and gRPC details. */
export interface FieldViolation {
  /** The field, e.g. `name` or `delay_ms`. */
  field: string;
  /** What is wrong with it, safe to show to the caller. */
  description: string;
}

/**
 * Base of the typed errors a handler throws to answer a client: part of the
 * service's API, not an error of the SDK (that is `ServerError`).
 * The HTTP transport maps `httpStatus` to an RFC 9457 problem; the gRPC
 * transport maps `grpcCode` to the call status. Anything else a handler throws
 * becomes 500 / INTERNAL with no internals in the answer. The subclasses below
 * carry a fixed `ServerErrorCode`; a service may subclass `ServiceError`
 * with a code of its own.
 */
export class ServiceError extends Error {
  /** Stable code answered to the client: `KENOS_ERR_SERVER_<WHAT>` for the subclasses of `@kenos/server`, or the service's own. */
  readonly code: string;
  /** HTTP status of the problem response. */
  readonly httpStatus: number;
  /** gRPC status code of the call. */
  readonly grpcCode: number;
  /** Field violations, if any. */
  readonly violations: FieldViolation[];
  constructor(
    message: string,
    init: {
      code: string;
      httpStatus: number;
      grpcCode: number;
      violations?: FieldViolation[];
      cause?: unknown;
    },
  ) {
    super(
      message,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.name = new.target.name;
    this.code = init.code;
    this.httpStatus = init.httpStatus;
    this.grpcCode = init.grpcCode;
    this.violations = init.violations ?? [];
  }
}

/** Invalid input: 400 / INVALID_ARGUMENT. Code `KENOS_ERR_SERVER_VALIDATION`. */
export class ValidationError extends ServiceError {
  constructor(
    message: string,
    violations: FieldViolation[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, {
      code: 'KENOS_ERR_SERVER_VALIDATION',
      httpStatus: 400,
      grpcCode: GrpcCode.INVALID_ARGUMENT,
      violations,
      cause: options?.cause,
    });
  }
}

/** The addressed resource does not exist: 404 / NOT_FOUND. Code `KENOS_ERR_SERVER_NOT_FOUND`. */
export class NotFoundError extends ServiceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, {
      code: 'KENOS_ERR_SERVER_NOT_FOUND',
      httpStatus: 404,
      grpcCode: GrpcCode.NOT_FOUND,
      cause: options?.cause,
    });
  }
}

/** The request conflicts with the current state: 409 / ALREADY_EXISTS. Code `KENOS_ERR_SERVER_CONFLICT`. */
export class ConflictError extends ServiceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, {
      code: 'KENOS_ERR_SERVER_CONFLICT',
      httpStatus: 409,
      grpcCode: GrpcCode.ALREADY_EXISTS,
      cause: options?.cause,
    });
  }
}

/** Caller not authenticated: 401 / UNAUTHENTICATED. Code `KENOS_ERR_SERVER_UNAUTHENTICATED`. */
export class UnauthenticatedError extends ServiceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, {
      code: 'KENOS_ERR_SERVER_UNAUTHENTICATED',
      httpStatus: 401,
      grpcCode: GrpcCode.UNAUTHENTICATED,
      cause: options?.cause,
    });
  }
}

/** Caller not allowed: 403 / PERMISSION_DENIED. Code `KENOS_ERR_SERVER_PERMISSION_DENIED`. */
export class PermissionDeniedError extends ServiceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, {
      code: 'KENOS_ERR_SERVER_PERMISSION_DENIED',
      httpStatus: 403,
      grpcCode: GrpcCode.PERMISSION_DENIED,
      cause: options?.cause,
    });
  }
}

/** A dependency is temporarily unavailable: 503 / UNAVAILABLE. Code `KENOS_ERR_SERVER_UNAVAILABLE`. */
export class UnavailableError extends ServiceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, {
      code: 'KENOS_ERR_SERVER_UNAVAILABLE',
      httpStatus: 503,
      grpcCode: GrpcCode.UNAVAILABLE,
      cause: options?.cause,
    });
  }
}

/**
 * A deadline passed before a dependency answered (e.g. a call of `@kenos/clients` ran out of the
 * request's remaining time): 504 / DEADLINE_EXCEEDED. Code `KENOS_ERR_SERVER_DEADLINE_EXCEEDED`.
 */
export class DeadlineExceededError extends ServiceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, {
      code: 'KENOS_ERR_SERVER_DEADLINE_EXCEEDED',
      httpStatus: 504,
      grpcCode: GrpcCode.DEADLINE_EXCEEDED,
      cause: options?.cause,
    });
  }
}
