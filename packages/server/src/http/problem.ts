import type { FieldViolation } from '../service-error.js';

/** An RFC 9457 problem details body, as Kenos sends it. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code?: string;
  request_id?: string;
  errors?: FieldViolation[];
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** Builds a problem body; `type` is `about:blank` so `title` is the HTTP reason phrase. */
export function problem(
  status: number,
  fields: Omit<Problem, 'type' | 'title' | 'status'> = {},
): Problem {
  return {
    type: 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    ...fields,
  };
}
