import { createRequire } from 'node:module';
import { pino, stdSerializers } from 'pino';
import type { Logger } from 'pino';
import { createDestination } from './create-destination.js';
import { createKeyRedactor } from './create-key-redactor.js';
import { LoggerError } from './logger-error.js';
import { resolveLoggerOptions, type LoggerOptions } from './logger-options.js';
import { describeError, reportOnce } from './report-once.js';
import { scrubSecrets } from './secret-registry.js';
import { traceFragment } from './trace-fields.js';

type Serializer = (value: unknown) => unknown;

let lastMs = -1;
let lastTime = '';
let lastSecond = Number.NaN;
let secondPrefix = '';
/**
 * `,"time":"<ISO 8601 UTC>"` for `now`: the date and time up to the second are formatted once per
 * second (`Date#toISOString` allocates a Date and formats through C++), the milliseconds per call.
 */
export function isoTimeField(now: number): string {
  const second = Math.floor(now / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    // "2026-11-27T19:40:12." (ISO 8601 with milliseconds, years 0 to 9999)
    secondPrefix = `,"time":"${new Date(second * 1000).toISOString().slice(0, 20)}`;
  }
  const ms = now - second * 1000;
  return `${secondPrefix}${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z"`;
}

/**
 * pino `timestamp`: `,"time":"<ISO 8601 UTC>"` (computed once per millisecond), followed by the
 * trace fields of the active span when there is one.
 */
function timeAndTrace(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    lastTime = isoTimeField(now);
  }
  return lastTime + traceFragment();
}

function levelLabel(label: string): Record<string, unknown> {
  return { level: label };
}

/** Loads pino-pretty (an optional dependency) synchronously, or explains how to get it. */
function loadPrettifier(): (line: string) => string {
  const require = createRequire(import.meta.url);
  let pretty: typeof import('pino-pretty');
  try {
    pretty = require('pino-pretty') as typeof import('pino-pretty');
  } catch (error) {
    throw new LoggerError(
      'KENOS_ERR_LOGGER_PRETTY_MISSING',
      'LOG_FORMAT=pretty needs the optional dependency pino-pretty, which could not be loaded: install it (npm install --save-dev pino-pretty) or set LOG_FORMAT=json',
      { cause: error },
    );
  }
  const prettify = pretty.prettyFactory({
    colorize: pretty.isColorSupported,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'service,version,env',
  });
  return (line) => {
    try {
      return prettify(line);
    } catch (error) {
      reportOnce(
        'pretty',
        'pino-pretty could not format a line; it is written as JSON',
        error,
      );
      return line;
    }
  };
}

/**
 * Builds a configured pino logger (without making it the root logger): standard base fields,
 * level label, ISO time, `err` with its cause chain, trace ids, key redaction, secret scrubbing on
 * the final line, and a bounded destination that is flushed at exit.
 */
export function buildLogger(options: LoggerOptions): Logger {
  const o = resolveLoggerOptions(options);

  const serializers: Record<string, Serializer> = {};
  const given: Record<string, Serializer> = {
    err: stdSerializers.errWithCause as Serializer,
    ...o.serializers,
  };
  // Keys with a serializer are redacted in the serializer's output, not before it runs.
  const redactor = createKeyRedactor(o.redactKeys, Object.keys(given));
  for (const [key, serialize] of Object.entries(given)) {
    serializers[key] = (value) => {
      try {
        return redactor.redactValue(serialize(value));
      } catch (error) {
        reportOnce(
          `serializer:${key}`,
          `the serializer for "${key}" threw; the value was replaced`,
          error,
        );
        return `[unserializable: ${describeError(error)}]`;
      }
    };
  }

  const redactRecord = (
    record: Record<string, unknown>,
  ): Record<string, unknown> => {
    try {
      return redactor.redactRecord(record);
    } catch (error) {
      reportOnce(
        'redact',
        'a log record could not be redacted; its fields were dropped',
        error,
      );
      return { logger_error: `fields dropped: ${describeError(error)}` };
    }
  };

  const prettify = o.format === 'pretty' ? loadPrettifier() : undefined;
  const destination = createDestination(
    o.destination,
    o.bufferBytes,
    o.flushIntervalMs,
  );

  const logger = pino(
    {
      level: o.level,
      base: {
        service: o.service,
        version: o.version,
        env: o.env,
        component: o.component,
      },
      timestamp: timeAndTrace,
      serializers,
      formatters: {
        level: levelLabel,
        bindings: redactRecord,
        log: redactRecord,
      },
      hooks: {
        streamWrite:
          prettify === undefined
            ? scrubSecrets
            : (line: string) => prettify(scrubSecrets(line)),
      },
    },
    destination.stream,
  );
  // pino applies formatters.bindings to the root's base only; child bindings are redacted here.
  // Children are created with Object.create(parent), so every descendant inherits this method.
  const pinoChild = logger.child;
  logger.child = function redactingChild(this: Logger, bindings, childOptions) {
    return pinoChild.call(this, redactRecord(bindings), childOptions);
  } as typeof pinoChild;
  return logger;
}
