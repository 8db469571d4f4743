/**
 * Stable codes of `@kenos/clients`, each with a row in docs/errors.md (a root test compares
 * them). Add a code here and its row there in the same commit.
 */
export type ClientsErrorCode =
  | 'KENOS_ERR_CLIENTS_INVALID_ARGUMENT'
  | 'KENOS_ERR_CLIENTS_DEADLINE'
  | 'KENOS_ERR_CLIENTS_ABORTED'
  | 'KENOS_ERR_CLIENTS_CLOSED'
  | 'KENOS_ERR_CLIENTS_CONNECTION'
  | 'KENOS_ERR_CLIENTS_HTTP_STATUS'
  | 'KENOS_ERR_CLIENTS_GRPC_STATUS'
  | 'KENOS_ERR_CLIENTS_MALFORMED_BODY';

/**
 * The one error class of `@kenos/clients`: a stable {@link ClientsErrorCode} and the
 * underlying `cause`. The message says what happened and never repeats the code.
 */
export class ClientsError extends Error {
  /** Stable code, listed in docs/errors.md. */
  readonly code: ClientsErrorCode;
  /** The gRPC status code of the failed call (a `grpc.status` value), for errors of the gRPC client. */
  readonly grpcCode: number | undefined;
  /** The HTTP status of the answer (`KENOS_ERR_CLIENTS_HTTP_STATUS`); `undefined` when none arrived. */
  readonly status: number | undefined;

  constructor(
    code: ClientsErrorCode,
    message: string,
    options?: { cause?: unknown; grpcCode?: number; status?: number },
  ) {
    super(
      message,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'ClientsError';
    this.code = code;
    this.grpcCode = options?.grpcCode;
    this.status = options?.status;
  }
}
