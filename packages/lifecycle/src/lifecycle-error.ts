/**
 * Stable codes of the errors that `@kenos/lifecycle` throws or logs, and of the problem+json
 * answers of its admin server (`KENOS_ERR_LIFECYCLE_ADMIN_*` but `_ADMIN_LISTEN`). Each one has a
 * row in `docs/errors.md`.
 */
export type LifecycleErrorCode =
  | 'KENOS_ERR_LIFECYCLE_INVALID_OPTIONS'
  | 'KENOS_ERR_LIFECYCLE_PHASE_STARTED'
  | 'KENOS_ERR_LIFECYCLE_DUPLICATE_NAME'
  | 'KENOS_ERR_LIFECYCLE_ADMIN_LISTEN'
  | 'KENOS_ERR_LIFECYCLE_STARTUP_TIMEOUT'
  | 'KENOS_ERR_LIFECYCLE_TIMEOUT'
  | 'KENOS_ERR_LIFECYCLE_SHUTDOWN_TIMEOUT'
  | 'KENOS_ERR_LIFECYCLE_FORCED_EXIT'
  | 'KENOS_ERR_LIFECYCLE_CRASH'
  | 'KENOS_ERR_LIFECYCLE_ADMIN_NOT_FOUND'
  | 'KENOS_ERR_LIFECYCLE_ADMIN_METHOD_NOT_ALLOWED'
  | 'KENOS_ERR_LIFECYCLE_ADMIN_UNAUTHORIZED'
  | 'KENOS_ERR_LIFECYCLE_ADMIN_FORBIDDEN'
  | 'KENOS_ERR_LIFECYCLE_ADMIN_ROUTE_FAILED';

/**
 * The one error class of `@kenos/lifecycle`: a stable {@link LifecycleErrorCode} plus the
 * underlying `cause` when there is one. The message does not repeat the code: test `code`.
 */
export class LifecycleError extends Error {
  /** Stable, documented error code (`KENOS_ERR_LIFECYCLE_*`). */
  readonly code: LifecycleErrorCode;

  constructor(
    code: LifecycleErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LifecycleError';
    this.code = code;
  }
}

/** Turns anything thrown (or rejected) into an Error, keeping the original as `cause`. */
export function toError(value: unknown, what: string): Error {
  if (value instanceof Error) return value;
  return new LifecycleError(
    'KENOS_ERR_LIFECYCLE_CRASH',
    `${what}: ${describe(value)}`,
    {
      cause: value,
    },
  );
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
