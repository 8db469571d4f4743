import { DeadlineExceededError, type CallScope } from '@kenos/server';
import { ClientsError } from './clients-error.js';

/**
 * The deadline, cancellation and errors both clients share: one deadline per call (its `timeoutMs`, lowered to the
 * deadline of the call scope it is made from), the same errors when it passes or the call is cancelled.
 */

/** The longest delay a Node.js timer takes (a longer one fires at once); also the largest `timeoutMs`. */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * A cancel by the call scope this close to the deadline is the deadline: the scope's own timer (the REST handler
 * timeout, set for the same instant) may fire before the call's.
 */
const DEADLINE_SLACK_MS = 20;

/** Throws `KENOS_ERR_CLIENTS_INVALID_ARGUMENT` unless `timeoutMs` (a call's option) is absent or a positive number. */
export function checkTimeoutMs(timeoutMs: unknown): void {
  if (
    timeoutMs !== undefined &&
    (typeof timeoutMs !== 'number' || !(timeoutMs > 0))
  )
    throw new ClientsError(
      'KENOS_ERR_CLIENTS_INVALID_ARGUMENT',
      `timeoutMs must be a positive number, got ${String(timeoutMs)}`,
    );
}

/** The deadline of a call, in epoch ms: `now + timeoutMs`, or the scope's deadline when that comes first. */
export function callDeadline(
  timeoutMs: number,
  scope: CallScope | undefined,
  now: number,
): number {
  const own = now + Math.min(timeoutMs, MAX_TIMER_MS);
  return scope?.deadline !== undefined && scope.deadline < own
    ? scope.deadline
    : own;
}

/** Whether a cancel by the call scope's signal at this moment is the call's deadline passing. */
export function isAtDeadline(deadline: number): boolean {
  return Date.now() >= deadline - DEADLINE_SLACK_MS;
}

/**
 * The error of a call whose deadline passed, of both clients: a `DeadlineExceededError` of `@kenos/server` (a
 * handler that lets it pass answers 504 / `DEADLINE_EXCEEDED`), its `cause` the `ClientsError`
 * `KENOS_ERR_CLIENTS_DEADLINE`, whose `cause` is the transport's error when a try was made.
 */
export function deadlineError(
  call: string,
  target: string,
  afterMs: number,
  cause?: unknown,
): DeadlineExceededError {
  return new DeadlineExceededError(
    `${target} did not answer ${call} within the deadline`,
    {
      cause: new ClientsError(
        'KENOS_ERR_CLIENTS_DEADLINE',
        `${call} to ${target}: no answer within ${Math.round(afterMs)} ms (the call's timeout or the inherited deadline)`,
        cause === undefined ? undefined : { cause },
      ),
    },
  );
}

/**
 * The error of a call cancelled by its own `signal` or by the end of the request it was made for (the call scope's
 * signal): `KENOS_ERR_CLIENTS_ABORTED`, its `cause` the signal's reason.
 */
export function abortedError(
  call: string,
  target: string,
  callerSignal: AbortSignal | undefined,
  scopeSignal: AbortSignal | undefined,
): ClientsError {
  const byCaller = callerSignal?.aborted === true;
  return new ClientsError(
    'KENOS_ERR_CLIENTS_ABORTED',
    `${call} to ${target} was aborted ${byCaller ? 'by its signal' : 'because the request it was made for ended'}`,
    { cause: byCaller ? callerSignal.reason : scopeSignal?.reason },
  );
}

/** The error of a call made after the client's `close()`. */
export function closedError(call: string, target: string): ClientsError {
  return new ClientsError(
    'KENOS_ERR_CLIENTS_CLOSED',
    `${call} to ${target}: the client is closed`,
  );
}
