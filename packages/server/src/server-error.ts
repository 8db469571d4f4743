/**
 * Stable codes of `@kenos/server`, each with a row in docs/errors.md: the codes of
 * {@link ServerError} (startup and usage errors of the server itself), of the client-facing
 * {@link ServiceError} subclasses, and of the problem+json answers, gRPC trailers and log lines the
 * transports write.
 */
export type ServerErrorCode =
  | 'KENOS_ERR_SERVER_VALIDATION'
  | 'KENOS_ERR_SERVER_NOT_FOUND'
  | 'KENOS_ERR_SERVER_CONFLICT'
  | 'KENOS_ERR_SERVER_UNAUTHENTICATED'
  | 'KENOS_ERR_SERVER_PERMISSION_DENIED'
  | 'KENOS_ERR_SERVER_UNAVAILABLE'
  | 'KENOS_ERR_SERVER_DEADLINE_EXCEEDED'
  | 'KENOS_ERR_SERVER_MALFORMED_JSON'
  | 'KENOS_ERR_SERVER_BODY_TOO_LARGE'
  | 'KENOS_ERR_SERVER_MALFORMED_PATH'
  | 'KENOS_ERR_SERVER_UNSUPPORTED_ENCODING'
  | 'KENOS_ERR_SERVER_BAD_REQUEST'
  | 'KENOS_ERR_SERVER_MALFORMED_MESSAGE'
  | 'KENOS_ERR_SERVER_INTERNAL'
  | 'KENOS_ERR_SERVER_TIMEOUT'
  | 'KENOS_ERR_SERVER_CONNECTION_LIMIT'
  | 'KENOS_ERR_SERVER_UNKNOWN_COMPONENT'
  | 'KENOS_ERR_SERVER_START'
  | 'KENOS_ERR_SERVER_GRPC_SERVICE'
  | 'KENOS_ERR_SERVER_JOBS_ABORTED'
  | 'KENOS_ERR_SERVER_INVALID_LOG_LEVEL'
  | 'KENOS_ERR_SERVER_NO_PACKAGE_ROOT';

/**
 * The one error class of the SDK in `@kenos/server`: a startup or usage error of the server
 * itself (unknown component, no package root, port in use, bad gRPC registration, jobs aborted at the
 * deadline),
 * with a stable {@link ServerErrorCode} and the underlying `cause`. Not to be confused with
 * {@link ServiceError}, which a handler throws to answer a client.
 */
export class ServerError extends Error {
  /** Stable code, `KENOS_ERR_SERVER_*`. */
  readonly code: ServerErrorCode;

  constructor(
    code: ServerErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(
      message,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'ServerError';
    this.code = code;
  }
}
