/**
 * Stable codes of `@kenos/clients`, each with a row in docs/errors.md (a root test compares
 * them). Add a code here and its row there in the same commit.
 */
export type ClientsErrorCode = 'KENOS_ERR_CLIENTS_INVALID_ARGUMENT';

/**
 * The one error class of `@kenos/clients`: a stable {@link ClientsErrorCode} and the
 * underlying `cause`. The message says what happened and never repeats the code.
 */
export class ClientsError extends Error {
  /** Stable code, listed in docs/errors.md. */
  readonly code: ClientsErrorCode;

  constructor(
    code: ClientsErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ClientsError';
    this.code = code;
  }
}
