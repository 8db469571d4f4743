import { randomBytes, randomUUID } from 'node:crypto';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;

/** The incoming `x-request-id` if it is 1–128 URL-safe characters, else a new UUID. */
export function requestIdFrom(incoming: unknown): string {
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** Log bindings joining a request's lines to its trace: from a W3C `traceparent`, else new ids. */
export function traceBindingsFrom(traceparent: unknown): { trace_id: string; span_id: string } {
  const m = typeof traceparent === 'string' ? TRACEPARENT.exec(traceparent) : null;
  const traceId = m?.[1] && !/^0+$/.test(m[1]) ? m[1] : randomBytes(16).toString('hex');
  return { trace_id: traceId, span_id: randomBytes(8).toString('hex') };
}
