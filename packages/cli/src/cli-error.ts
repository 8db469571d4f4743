/** Stable codes of {@link CliError}. */
export type CliErrorCode =
  | 'KENOS_ERR_CLI_USAGE'
  | 'KENOS_ERR_CLI_INPUT'
  | 'KENOS_ERR_CLI_OUTPUT'
  | 'KENOS_ERR_CLI_LOCAL_KEY_REFUSED'
  | 'KENOS_ERR_CLI_BUNDLE_ENTRY'
  | 'KENOS_ERR_CLI_BUNDLE'
  | 'KENOS_ERR_CLI_MANIFESTS_INVALID';

/**
 * A command-line mistake: an unknown command or flag, a missing or malformed
 * argument (`KENOS_ERR_CLI_USAGE`, exit code 2, usage on stderr), a local key
 * chosen for the secret file of an environment other than development and
 * test (`KENOS_ERR_CLI_LOCAL_KEY_REFUSED`, exit code 2, one line),
 * unusable input such as non-UTF-8 plaintext (`KENOS_ERR_CLI_INPUT`, exit
 * code 1), an output location that cannot be written, such as a directory
 * path that names a file (`KENOS_ERR_CLI_OUTPUT`, exit code 1), a service
 * that `kenos bundle` cannot bundle: no compiled entry
 * (`KENOS_ERR_CLI_BUNDLE_ENTRY`) or a bundler error (`KENOS_ERR_CLI_BUNDLE`),
 * exit code 1, or Kubernetes manifests that `kenos manifests check` found
 * invalid (`KENOS_ERR_CLI_MANIFESTS_INVALID`, exit code 1).
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
      code === 'KENOS_ERR_CLI_USAGE' ||
      code === 'KENOS_ERR_CLI_LOCAL_KEY_REFUSED'
        ? 2
        : 1;
    this.usage = options.usage;
  }
}
