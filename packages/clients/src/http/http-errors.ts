import {
  ConflictError,
  DeadlineExceededError,
  NotFoundError,
  PermissionDeniedError,
  UnauthenticatedError,
  UnavailableError,
  ValidationError,
  type FieldViolation,
  type Problem,
} from '@kenos/server';
import { ClientsError } from '../clients-error.js';

function isProblem(body: unknown): body is Problem {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as { status?: unknown }).status === 'number'
  );
}

function violations(errors: unknown): FieldViolation[] {
  if (!Array.isArray(errors)) return [];
  return errors
    .filter(
      (e): e is FieldViolation =>
        typeof e === 'object' &&
        e !== null &&
        typeof (e as FieldViolation).field === 'string' &&
        typeof (e as FieldViolation).description === 'string',
    )
    .map((e) => ({ field: e.field, description: e.description }));
}

/** The problem+json body of an answer, or `undefined` when it is not one. */
export function parseProblem(
  contentType: unknown,
  body: string,
): Problem | undefined {
  if (
    typeof contentType !== 'string' ||
    !contentType.toLowerCase().startsWith('application/problem+json')
  )
    return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    return isProblem(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The error a 4xx/5xx answer is thrown as. A problem+json answer (as every Kenos service sends) becomes the typed
 * error of `@kenos/server` its status stands for, so that a handler that lets it pass answers its own caller the same
 * way: 400 → `ValidationError` (with the field violations), 401 → `UnauthenticatedError`, 403 →
 * `PermissionDeniedError`, 404 → `NotFoundError`, 409 → `ConflictError`, 503 → `UnavailableError`, 504 →
 * `DeadlineExceededError`; its `cause` is the `ClientsError` (`KENOS_ERR_CLIENTS_HTTP_STATUS`) with the status.
 * Any other answer is that `ClientsError` itself (a 500 of the called service stays a fault: 500 again upstream).
 */
export function statusError(
  service: string,
  method: string,
  path: string,
  status: number,
  contentType: unknown,
  body: string,
): Error {
  const problem = parseProblem(contentType, body);
  const detail = problem?.detail ?? problem?.title;
  const base = new ClientsError(
    'KENOS_ERR_CLIENTS_HTTP_STATUS',
    `${service} answered ${method} ${path} with ${status}${detail ? `: ${detail}` : ''}`,
    { status },
  );
  if (problem === undefined) return base;
  const message = problem.detail ?? `${service} answered ${status}`;
  const options = { cause: base };
  switch (status) {
    case 400:
      return new ValidationError(message, violations(problem.errors), options);
    case 401:
      return new UnauthenticatedError(message, options);
    case 403:
      return new PermissionDeniedError(message, options);
    case 404:
      return new NotFoundError(message, options);
    case 409:
      return new ConflictError(message, options);
    case 503:
      return new UnavailableError(message, options);
    case 504:
      return new DeadlineExceededError(message, options);
    default:
      return base;
  }
}
