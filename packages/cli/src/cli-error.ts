/** Stable codes of {@link CliError}. */
export type CliErrorCode =
  | 'KENOS_ERR_CLI_USAGE'
  | 'KENOS_ERR_CLI_INPUT'
  | 'KENOS_ERR_CLI_OUTPUT'
  | 'KENOS_ERR_CLI_LOCAL_KEY_REFUSED';

/**
 * A command-line mistake: an unknown command or flag, a missing or malformed
 * argument (`KENOS_ERR_CLI_USAGE`, exit code 2, usage on stderr), a local key
 * chosen for the secret file of an environment other than development and
 * test (`KENOS_ERR_CLI_LOCAL_KEY_REFUSED`, exit code 2, one line),
 * unusable input such as non-UTF-8 plaintext (`KENOS_ERR_CLI_INPUT`, exit
 * code 1), or an output location that cannot be written, such as a directory
 * path that names a file (`KENOS_ERR_CLI_OUTPUT`, exit code 1).
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  /** Stable error code. */
  readonly code: CliErrorCode;
  /** The process exit code this error leads to. */
  readonly exitCode: number;
  /** The usage text of the command, printed after the message for usage errors. */
  readonly usage: string | undefined;

  constructor(
    code: CliErrorCode,
    message: string,
    options: { usage?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.exitCode =
      code === 'KENOS_ERR_CLI_INPUT' || code === 'KENOS_ERR_CLI_OUTPUT' ? 1 : 2;
    this.usage = options.usage;
  }
}
