import { injectContext } from '@kenos/telemetry';
import { currentCallScope } from '../call-scope.js';
import {
  UnavailableError,
  ValidationError,
  type FieldViolation,
} from '../service-error.js';
import type {
  EnqueuedJob,
  EnqueueOptions,
  JobOrigin,
  JobQueue,
} from './job-queue.js';

/** Characters of a queue name: safe as a Redis key part, a metric label and a component name. */
const QUEUE_NAME = /^[A-Za-z0-9._:-]+$/;
/** Longest caller-chosen job id. */
const MAX_JOB_ID_LENGTH = 128;

/** What is wrong with the arguments of an enqueue, one violation per field. */
function violationsOf(
  name: unknown,
  options: EnqueueOptions | undefined,
): FieldViolation[] {
  const out: FieldViolation[] = [];
  if (typeof name !== 'string' || !QUEUE_NAME.test(name))
    out.push({
      field: 'name',
      description: `the queue name must be a non-empty string of letters, digits and ".", "_", ":", "-", got ${JSON.stringify(name) ?? String(name)}`,
    });
  if (options === undefined) return out;
  if (typeof options !== 'object' || options === null) {
    out.push({ field: 'options', description: 'must be an object' });
    return out;
  }
  const { id, delayMs, attempts } = options;
  if (
    id !== undefined &&
    (typeof id !== 'string' || id === '' || id.length > MAX_JOB_ID_LENGTH)
  )
    out.push({
      field: 'id',
      description: `the job id must be a string of 1 to ${MAX_JOB_ID_LENGTH} characters`,
    });
  if (
    delayMs !== undefined &&
    (typeof delayMs !== 'number' || !Number.isFinite(delayMs) || delayMs < 0)
  )
    out.push({
      field: 'delayMs',
      description: `must be a number of milliseconds >= 0, got ${String(delayMs)}`,
    });
  if (
    attempts !== undefined &&
    (typeof attempts !== 'number' ||
      !Number.isInteger(attempts) ||
      attempts < 1)
  )
    out.push({
      field: 'attempts',
      description: `must be an integer >= 1, got ${String(attempts)}`,
    });
  return out;
}

/**
 * Where a job enqueued here comes from: the request id of the call scope being served (none
 * outside one), the W3C trace context of the active span, and the time.
 */
export function currentJobOrigin(): JobOrigin {
  const scope = currentCallScope();
  const carrier = injectContext<Record<string, unknown>>({});
  const { traceparent, tracestate } = carrier;
  return {
    ...(scope ? { requestId: scope.requestId } : {}),
    ...(typeof traceparent === 'string' ? { traceparent } : {}),
    ...(typeof tracestate === 'string' && tracestate !== ''
      ? { tracestate }
      : {}),
    enqueuedAt: Date.now(),
  };
}

/**
 * `ServiceContext.enqueue`: validates the arguments (`ValidationError`), fails with
 * `UnavailableError` without a queue, and hands the job to the queue with its origin.
 */
export function createEnqueue(
  getQueue: () => JobQueue | undefined,
): <T>(
  name: string,
  payload: T,
  options?: EnqueueOptions,
) => Promise<EnqueuedJob> {
  return async (name, payload, options) => {
    const violations = violationsOf(name, options);
    if (violations.length > 0)
      throw new ValidationError(
        `enqueue: ${violations.map((v) => `${v.field}: ${v.description}`).join('; ')}`,
        violations,
      );
    const queue = getQueue();
    if (!queue)
      throw new UnavailableError(
        `no job queue is configured, so job "${name}" cannot be enqueued: set queue.url (REDIS_URL) and give the service definition a queue factory`,
      );
    return queue.enqueue(name, payload, {
      ...(options?.id === undefined ? {} : { id: options.id }),
      ...(options?.delayMs === undefined ? {} : { delayMs: options.delayMs }),
      ...(options?.attempts === undefined
        ? {}
        : { attempts: options.attempts }),
      origin: currentJobOrigin(),
    });
  };
}
