import type { IncomingHttpHeaders } from 'node:http';
import { currentCallScope, TIMEOUT_HEADER } from '@kenos/server';
import { getProcessMetrics, injectContext, withSpan } from '@kenos/telemetry';
import { SpanStatusCode, type Attributes, type Span } from '@opentelemetry/api';
import type { Dispatcher } from 'undici';
import { ClientsError } from '../clients-error.js';
import {
  abortedError,
  callDeadline,
  deadlineError,
  isAtDeadline,
  MAX_TIMER_MS,
} from '../call-errors.js';
import type { ResolvedHttpClientOptions } from './http-client-options.js';
import type { RetryBudget } from './retry-budget.js';
import {
  backoffMs,
  isConnectionError,
  isRetryableStatus,
  retryAfterMs,
} from './retry-policy.js';

/** One call as the client's methods hand it to {@link sendCall}. */
export interface CallRequest {
  readonly method: string;
  /** Path with the base path and the query string. */
  readonly path: string;
  /** Lower-case names; the call's own, then what the call adds (request id, deadline, trace context). */
  readonly headers: Record<string, string>;
  readonly body: string | Uint8Array | undefined;
  readonly signal: AbortSignal | undefined;
  readonly timeoutMs: number | undefined;
  readonly retryable: boolean;
}

/** The answer of the last try, its body not read yet; `done()` ends the call's deadline timer and listeners. */
export interface CallResponse {
  readonly statusCode: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Dispatcher.ResponseData['body'];
  /** Classifies an error of reading the body (deadline, abort, connection). */
  readonly bodyError: (err: unknown) => Error;
  readonly done: () => void;
}

/** What a client shares with its calls. */
export interface CallContext {
  readonly options: ResolvedHttpClientOptions;
  /** The connection pool, made by the first call. */
  readonly pool: () => Promise<Dispatcher>;
  readonly budget: RetryBudget;
}

const enum Stop {
  None = 0,
  Deadline = 1,
  Caller = 2,
}

/** Why a call stopped early; shared by the call and its tries. */
interface CallState {
  stop: Stop;
}

/** Failures of a try that another try may mend (connection failures before any answer). */
const transient = new WeakSet<object>();

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.min(ms, MAX_TIMER_MS));
    signal.addEventListener('abort', done, { once: true });
  });
}

function withoutQuery(path: string): string {
  const q = path.indexOf('?');
  return q === -1 ? path : path.slice(0, q);
}

/**
 * Sends one call: inherits the call scope (request id, remaining deadline, cancellation), retries what is safe within
 * the budget, one CLIENT span and one metric observation per try. Resolves with the last try's answer (whatever its
 * status) or rejects with a `ClientsError` (connection, abort) or a `DeadlineExceededError` (see call-errors.ts).
 */
export async function sendCall(
  ctx: CallContext,
  call: CallRequest,
): Promise<CallResponse> {
  const { options, budget } = ctx;
  const { method, path, headers } = call;
  const scope = currentCallScope();
  const now = Date.now();
  const deadline = callDeadline(
    call.timeoutMs ?? options.timeoutMs,
    scope,
    now,
  );
  const name = options.name;
  // the call as errors name it, built only for an error
  const what = (): string => `${method} ${withoutQuery(path)}`;
  if (deadline <= now) throw deadlineError(what(), name, 0);
  const scopeSignal = scope?.signal;
  const callerSignal = call.signal;
  if (scopeSignal?.aborted || callerSignal?.aborted)
    throw abortedError(what(), name, callerSignal, scopeSignal);

  if (scope !== undefined && headers['x-request-id'] === undefined)
    headers['x-request-id'] = scope.requestId;
  const controller = new AbortController();
  const state: CallState = { stop: Stop.None };
  const onCallerAbort = (): void => {
    // the scope's signal at the deadline (the REST handler timeout fires with it) is the deadline
    if (state.stop === Stop.None)
      state.stop =
        callerSignal?.aborted !== true && isAtDeadline(deadline)
          ? Stop.Deadline
          : Stop.Caller;
    controller.abort();
  };
  scopeSignal?.addEventListener('abort', onCallerAbort);
  callerSignal?.addEventListener('abort', onCallerAbort);
  const timer = setTimeout(
    () => {
      if (state.stop === Stop.None) state.stop = Stop.Deadline;
      controller.abort();
    },
    Math.min(deadline - now, MAX_TIMER_MS),
  );
  const done = (): void => {
    clearTimeout(timer);
    scopeSignal?.removeEventListener('abort', onCallerAbort);
    callerSignal?.removeEventListener('abort', onCallerAbort);
  };
  const stopped = (cause?: unknown): Error =>
    state.stop === Stop.Deadline
      ? deadlineError(what(), name, deadline - now, cause)
      : abortedError(what(), name, callerSignal, scopeSignal);

  budget.deposit(now);
  const maxAttempts = call.retryable ? options.retry.maxAttempts : 1;
  try {
    for (let attempt = 1; ; attempt++) {
      let response: Dispatcher.ResponseData | undefined;
      let failure: ClientsError | undefined;
      try {
        response = await tryOnce(
          ctx,
          call,
          attempt,
          deadline,
          controller.signal,
          state,
        );
      } catch (err) {
        if (controller.signal.aborted) throw stopped(err);
        failure = err as ClientsError;
      }
      const retryable =
        attempt < maxAttempts &&
        (response === undefined
          ? failure !== undefined && transient.has(failure)
          : isRetryableStatus(response.statusCode));
      let delay = 0;
      if (retryable) {
        const after =
          response !== undefined &&
          (response.statusCode === 429 || response.statusCode === 503)
            ? retryAfterMs(response.headers['retry-after'])
            : undefined;
        delay =
          after ??
          backoffMs(
            attempt,
            options.retry.baseDelayMs,
            options.retry.maxDelayMs,
          );
      }
      // never wait past the deadline, and never add more load than the budget allows
      if (
        !retryable ||
        Date.now() + delay >= deadline ||
        !budget.tryWithdraw()
      ) {
        if (response !== undefined) {
          const bodyError = (err: unknown): Error =>
            controller.signal.aborted
              ? stopped(err)
              : new ClientsError(
                  'KENOS_ERR_CLIENTS_CONNECTION',
                  `reading the answer of ${method} ${withoutQuery(path)} from ${name} failed`,
                  { cause: err },
                );
          return {
            statusCode: response.statusCode,
            headers: response.headers,
            body: response.body,
            bodyError,
            done,
          };
        }
        throw failure;
      }
      if (response !== undefined)
        await response.body.dump().catch(() => undefined);
      await sleep(delay, controller.signal);
      if (controller.signal.aborted) throw stopped();
    }
  } catch (err) {
    done();
    throw err;
  }
}

/** One try in its own CLIENT span, recorded in `http_client_request_duration_seconds`. */
function tryOnce(
  ctx: CallContext,
  call: CallRequest,
  attempt: number,
  deadline: number,
  signal: AbortSignal,
  state: CallState,
): Promise<Dispatcher.ResponseData> {
  const { options, pool } = ctx;
  const { method, path, headers } = call;
  const attributes: Attributes = {
    'http.request.method': method,
    'server.address': options.serverHost,
    'server.port': options.serverPort,
    'url.full': options.origin + withoutQuery(path),
    'peer.service': options.name,
  };
  if (attempt > 1) attributes['http.request.resend_count'] = attempt - 1;
  return withSpan(
    { name: method, kind: 'client', attributes },
    async (span: Span) => {
      headers[TIMEOUT_HEADER] = String(
        Math.max(1, Math.ceil(deadline - Date.now())),
      );
      if (attempt > 1) delete headers['tracestate'];
      injectContext(headers);
      const started = performance.now();
      let statusCode: number | undefined;
      let errorType = '';
      try {
        const response = await (
          await pool()
        ).request({
          method: method as Dispatcher.HttpMethod,
          path,
          headers,
          body: call.body,
          signal,
        });
        statusCode = response.statusCode;
        span.setAttribute('http.response.status_code', statusCode);
        if (statusCode >= 400) {
          errorType = String(statusCode);
          span.setAttribute('error.type', errorType);
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
        return response;
      } catch (err) {
        if (signal.aborted) {
          errorType = state.stop === Stop.Deadline ? 'timeout' : 'aborted';
          throw err;
        }
        const invalid =
          (err as { code?: unknown }).code === 'UND_ERR_INVALID_ARG';
        errorType = invalid ? 'invalid_argument' : 'connection';
        span.setAttribute('error.type', errorType);
        const failure = new ClientsError(
          invalid
            ? 'KENOS_ERR_CLIENTS_INVALID_ARGUMENT'
            : 'KENOS_ERR_CLIENTS_CONNECTION',
          invalid
            ? `${method} ${withoutQuery(path)} to ${options.name} could not be sent: ${(err as Error).message}`
            : `${method} ${withoutQuery(path)} to ${options.name} (${options.serverAddress}) failed: ${(err as Error).message}`,
          { cause: err },
        );
        if (isConnectionError(err)) transient.add(failure);
        throw failure;
      } finally {
        observe(method, options.serverAddress, statusCode, errorType, started);
      }
    },
  );
}

/** One observation of `http_client_request_duration_seconds`; a metrics failure never fails the call. */
function observe(
  method: string,
  serverAddress: string,
  statusCode: number | undefined,
  errorType: string,
  started: number,
): void {
  try {
    getProcessMetrics()?.observeHttpClientRequest({
      method,
      serverAddress,
      statusCode,
      errorType,
      durationSeconds: (performance.now() - started) / 1000,
    });
  } catch {
    // telemetry never breaks a call
  }
}
