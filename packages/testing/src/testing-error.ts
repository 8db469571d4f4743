/**
 * Typed errors of `@kenos/testing`. Every error has a stable `code`
 * (`KENOS_ERR_TESTING_*`), listed in `docs/errors.md`.
 */
import type { ExitInfo, LogLine } from './process/spawn-node.js';

/** Stable codes of {@link TestingError}. */
export type TestingErrorCode =
  | 'KENOS_ERR_TESTING_NOT_READY'
  | 'KENOS_ERR_TESTING_LINE_TIMEOUT'
  | 'KENOS_ERR_TESTING_NO_PORT'
  | 'KENOS_ERR_TESTING_GRPC_SERVICE'
  | 'KENOS_ERR_TESTING_PROMETHEUS_MISSING'
  | 'KENOS_ERR_TESTING_PROMETHEUS_START'
  | 'KENOS_ERR_TESTING_PROMETHEUS_TIMEOUT'
  | 'KENOS_ERR_TESTING_PROMETHEUS_QUERY'
  | 'KENOS_ERR_TESTING_REDIS_MISSING'
  | 'KENOS_ERR_TESTING_REDIS_START';

/** The one error class of `@kenos/testing`; `ServiceNotReadyError` is a subclass with a fixed code. */
export class TestingError extends Error {
  /** `TestingError`, or the name of the subclass. */
  override readonly name: string = 'TestingError';
  /** Stable code, listed in `docs/errors.md`. */
  readonly code: TestingErrorCode;

  constructor(
    code: TestingErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = code;
  }
}

/**
 * `startService` gave up: the process exited before it logged `service ready`
 * (`exit` is set), or it did not log it within `readyTimeoutMs` (`exit` is
 * undefined; the process was killed with SIGKILL). The message carries the
 * exit code, the end of stderr and the last log lines.
 */
export class ServiceNotReadyError extends TestingError {
  /** Always `ServiceNotReadyError`. */
  override readonly name = 'ServiceNotReadyError';
  /** How the process ended, when it exited on its own before ready. */
  readonly exit: ExitInfo | undefined;
  /** Everything the process wrote to stderr. */
  readonly stderr: string;
  /** Every stdout line seen, parsed. */
  readonly lines: readonly LogLine[];

  constructor(
    message: string,
    details: {
      exit: ExitInfo | undefined;
      stderr: string;
      lines: readonly LogLine[];
      cause?: unknown;
    },
  ) {
    super('KENOS_ERR_TESTING_NOT_READY', message, { cause: details.cause });
    this.exit = details.exit;
    this.stderr = details.stderr;
    this.lines = details.lines;
  }
}

/** Formats the end of stderr and the last log lines for an error message. */
export function describeOutput(
  stderr: string,
  lines: readonly LogLine[],
): string {
  const tail = stderr.length > 1000 ? `…${stderr.slice(-1000)}` : stderr;
  return `stderr: ${JSON.stringify(tail)}; last log lines: ${JSON.stringify(lines.slice(-5))}`;
}
