// @kenos/logger vs raw pino, same destination (a synchronous sonic-boom on /dev/null with the
// same 4 KiB batch that Kenos uses in production), same log call, in lines per CPU second
// (everything runs on this thread, so CPU time is the fair and least noisy clock).
import { openSync, writeSync } from 'node:fs';
import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { pino } from 'pino';
import {
  createLogger,
  registerSecretValue,
  runWithLogContext,
} from '@kenos/logger';
import { opsPerSecond } from '../src/index.mjs';

const DEV_NULL = '/dev/null';
const fields = {
  user_id: 'u-123',
  order_id: 42,
  amount: 19.99,
  currency: 'EUR',
  retry: false,
};
const sensitive = {
  user: { name: 'ada', Password: 'hunter2-hunter2' },
  headers: { Authorization: 'Bearer abc.def.ghi', accept: 'application/json' },
  note: 'paid with token-value-000007',
  order_id: 42,
};
/** The HTTP transport's access line for a path with URL-encoded characters (no secret in it). */
const accessLine = {
  request_id: '0b6f4c1e-9d2a-4f7e-8c3b-5a1d2e3f4a5b',
  http: {
    method: 'GET',
    route: '/v1/greetings/:name',
    path: '/v1/greetings/Ada%20Lovelace%2B%C3%A9',
    status: 200,
    duration_ms: 0.42,
  },
};
const plainSecret = (i) => `token-value-${String(i).padStart(6, '0')}`;
/** Secrets with characters that URL encoding, JSON escaping and base64 change: every encoded form is registered. */
const encodedSecret = (i) =>
  `pa+ss/w=rd$${i}"q\\<é>${String(i).padStart(4, '0')}`;

function rawPino() {
  return pino(
    pino.destination({ dest: DEV_NULL, sync: true, minLength: 4096 }),
  );
}
function kenos() {
  return createLogger({
    service: 'bench',
    version: '1.0.0',
    env: 'production',
    component: 'api',
    destination: DEV_NULL,
  });
}
const side = (name, make, line) => ({
  name,
  setup: () => make(),
  measure: (log, { durationMs }) =>
    opsPerSecond(() => line(log), durationMs, { batch: 1024, clock: 'cpu' }),
  teardown: (log) => log.flush?.(),
});

// A span context made active the way the OpenTelemetry SDK would make it: through the
// AsyncLocalStorage context manager.
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const span = trace.wrapSpanContext({
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: TraceFlags.SAMPLED,
});
/** Lines logged inside one request scope with an active span (the scope is entered once, as a request would). */
const inScopeWithSpan = {
  name: '@kenos/logger',
  setup: () => kenos(),
  measure: (log, { durationMs }) =>
    context.with(trace.setSpan(context.active(), span), () =>
      runWithLogContext({ request_id: 'req-1' }, () =>
        opsPerSecond(() => log.info(fields, 'request handled'), durationMs, {
          batch: 1024,
          clock: 'cpu',
        }),
      ),
    ),
};

export default {
  name: 'logger',
  cases: [
    {
      name: 'standard info line, 5 fields',
      unit: 'lines/s',
      target: { min: 0.85 },
      anchor: side('raw pino', rawPino, (log) =>
        log.info(fields, 'request handled'),
      ),
      subject: side('@kenos/logger', kenos, (log) =>
        log.info(fields, 'request handled'),
      ),
      context: [
        {
          name: 'console.log(JSON.stringify)',
          setup: () => {
            const fd = openSync(DEV_NULL, 'w');
            return new Console({
              stdout: new Writable({
                write(chunk, _enc, cb) {
                  writeSync(fd, chunk);
                  cb();
                },
              }),
            });
          },
          measure: (c, { durationMs }) =>
            opsPerSecond(
              () =>
                c.log(
                  JSON.stringify({
                    level: 30,
                    time: Date.now(),
                    msg: 'request handled',
                    ...fields,
                  }),
                ),
              durationMs,
              { batch: 1024, clock: 'cpu' },
            ),
        },
      ],
    },
    {
      name: 'line in a request scope with an active span',
      unit: 'lines/s',
      target: { min: 0.75 },
      anchor: side('raw pino', rawPino, (log) =>
        log.info(fields, 'request handled'),
      ),
      subject: inScopeWithSpan,
    },
    {
      name: 'path redaction + 20 registered secret values',
      unit: 'lines/s',
      target: { min: 0.6 },
      anchor: side('raw pino, no redaction', rawPino, (log) =>
        log.info(sensitive, 'payment captured'),
      ),
      subject: side(
        '@kenos/logger',
        () => {
          for (let i = 0; i < 20; i++) registerSecretValue(plainSecret(i));
          return kenos();
        },
        (log) => log.info(sensitive, 'payment captured'),
      ),
    },
    {
      // The registry is process-wide: this case registers the previous case's 20 values too, so it
      // measures 40 values whichever cases run.
      name: 'access line + 40 secret values, 20 with characters that encoding changes',
      unit: 'lines/s',
      target: { min: 0.6 },
      anchor: side('raw pino, no redaction', rawPino, (log) =>
        log.info(accessLine, 'http request'),
      ),
      subject: side(
        '@kenos/logger',
        () => {
          for (let i = 0; i < 20; i++) registerSecretValue(plainSecret(i));
          for (let i = 0; i < 20; i++) registerSecretValue(encodedSecret(i));
          return kenos();
        },
        (log) => log.info(accessLine, 'http request'),
      ),
    },
  ],
};
