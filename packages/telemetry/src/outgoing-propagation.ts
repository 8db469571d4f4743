import diagnosticsChannel from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { context } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import { injectContext } from './spans.js';

interface UndiciRequest {
  headers: unknown;
  addHeader(name: string, value: string): unknown;
}

function w3cHeaders(): Record<string, string> {
  const active = context.active();
  // the OTLP exporter's own requests run with tracing suppressed
  return isTracingSuppressed(active)
    ? {}
    : injectContext<Record<string, string>>({}, active);
}

function hasUndiciHeader(headers: unknown, name: string): boolean {
  if (Array.isArray(headers)) {
    for (let i = 0; i < headers.length; i += 2)
      if (String(headers[i]).toLowerCase() === name) return true;
    return false;
  }
  if (typeof headers === 'string')
    return headers.toLowerCase().includes(`${name}:`);
  return false;
}

const onUndiciRequest = (message: unknown): void => {
  try {
    const request = (message as { request?: UndiciRequest }).request;
    if (!request || typeof request.addHeader !== 'function') return;
    for (const [name, value] of Object.entries(w3cHeaders())) {
      if (!hasUndiciHeader(request.headers, name))
        request.addHeader(name, value);
    }
  } catch {
    // propagation must never break a request
  }
};

const onHttpRequest = (message: unknown): void => {
  try {
    const request = (message as { request?: ClientRequest }).request;
    if (!request || request.headersSent) return;
    for (const [name, value] of Object.entries(w3cHeaders())) {
      if (request.getHeader(name) === undefined) request.setHeader(name, value);
    }
  } catch {
    // propagation must never break a request
  }
};

const CHANNELS: [string, (message: unknown) => void][] = [
  ['undici:request:create', onUndiciRequest],
  ['http.client.request.created', onHttpRequest],
];
let enabled = false;

/**
 * Adds the W3C headers of the active span (`traceparent`, `tracestate`, `baggage`) to every
 * outgoing `fetch` (undici) and `node:http`/`node:https` request that does not set them
 * itself, through Node's diagnostics channels — so calls from one Kenos service to another
 * join one trace with no code in the service. Does nothing outside a span. Idempotent.
 */
export function enableOutgoingPropagation(): void {
  if (enabled) return;
  enabled = true;
  for (const [name, fn] of CHANNELS) diagnosticsChannel.subscribe(name, fn);
}

/** Stops {@link enableOutgoingPropagation}. */
export function disableOutgoingPropagation(): void {
  if (!enabled) return;
  enabled = false;
  for (const [name, fn] of CHANNELS) diagnosticsChannel.unsubscribe(name, fn);
}
