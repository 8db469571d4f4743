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
 * The one error class of `@kenos/clients`, the same for the HTTP and the gRPC client: a stable
 * {@link ClientsErrorCode} and the underlying `cause` (undici's or grpc-js' error, a signal's
 * reason). The message says what happened and never repeats the code. An answer of a called Kenos
 * service, and a deadline, arrive as the typed error of `@kenos/server` instead (`NotFoundError`,
 * `DeadlineExceededError`, …), with this error as their `cause`.
 */
export class ClientsError extends Error {
  /** Stable code, listed in docs/errors.md. */
  readonly code: ClientsErrorCode;
  /**
   * The status the called service answered: the HTTP status (`KENOS_ERR_CLIENTS_HTTP_STATUS`) or the
   * gRPC status code, a `grpc.status` value (`KENOS_ERR_CLIENTS_GRPC_STATUS`); `undefined` for the
   * other codes (no answer arrived).
   */
  readonly status: number | undefined;

  constructor(
    code: ClientsErrorCode,
    message: string,
    options?: { cause?: unknown; status?: number },
  ) {
    super(
      message,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'ClientsError';
    this.code = code;
    this.status = options?.status;
  }
}
