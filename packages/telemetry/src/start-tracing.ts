import { hostname } from 'node:os';
import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { parseKeyPairsIntoRecord } from '@opentelemetry/core';
import { createRequire } from 'node:module';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import { LazyOtlpTraceExporter } from './lazy-otlp-trace-exporter.js';
import {
  disableOutgoingPropagation,
  enableOutgoingPropagation,
} from './outgoing-propagation.js';
import {
  setTelemetryLogger,
  reportTelemetryFailure,
  stderrTelemetryLogger,
  type TelemetryLogger,
} from './diagnostics.js';
import { TelemetryError } from './telemetry-error.js';
import { createPropagationOnlyProvider } from './propagation-only-tracer.js';
import { samplerFromEnv, type EnvRecord } from './sampler.js';
import { W3CPropagator } from './w3c-propagator.js';

/** Options of {@link startTracing}. */
export interface TracingOptions {
  /** `service.name` resource attribute. Required. */
  serviceName: string;
  /** `service.version` resource attribute. Required. */
  serviceVersion: string;
  /** `deployment.environment.name` resource attribute. Default unset. */
  environment?: string;
  /** Where the standard `OTEL_*` variables are read from. Default `process.env`. */
  env?: EnvRecord;
  /** Receives telemetry's own warnings (failed exports, bad settings). Default JSON lines on stderr. */
  logger?: TelemetryLogger;
  /** Extra span processors, after the OTLP one (tests: a `SimpleSpanProcessor` over an in-memory exporter). Default none. */
  spanProcessors?: SpanProcessor[];
  /** Minimum time between two identical diagnostic lines, in ms. Default `60000`. */
  diagnosticsIntervalMs?: number;
  /** Add the active span's W3C headers to every outgoing `fetch` and `node:http` request (see enableOutgoingPropagation). Default `true`. */
  propagateOutgoing?: boolean;
}

/** The running tracing pipeline of the process. */
export interface Tracing {
  /** True when spans are exported over OTLP/HTTP. */
  readonly exporting: boolean;
  /** The OTLP/HTTP traces URL spans go to, when exporting. */
  readonly otlpTracesUrl: string | undefined;
  /** False when nothing consumes spans (no exporter, no processor): spans are then non-recording, with real ids and sampling flags, for propagation and log correlation only. */
  readonly recording: boolean;
  /** The resource attributes spans carry (`service.name`, `service.version`, …). */
  readonly resourceAttributes: Readonly<Record<string, unknown>>;
  /** The service's tracer. */
  readonly tracer: Tracer;
  /** Exports every finished span now (bounded by the exporter timeout); never rejects. */
  forceFlush(): Promise<void>;
}

interface TracingState {
  tracing: Tracing;
  provider: { forceFlush(): Promise<void>; shutdown(): Promise<void> };
  contextManager: AsyncLocalStorageContextManager;
}

const STATE = Symbol.for('@kenos/telemetry.tracing');

// The OpenTelemetry SDK and its resources are loaded only when spans are recorded (an OTLP
// endpoint or span processors): a service that exports nothing skips a tenth of its start time.
const require = createRequire(import.meta.url);
const loadSdk = (): typeof import('@opentelemetry/sdk-trace') =>
  require('@opentelemetry/sdk-trace') as typeof import('@opentelemetry/sdk-trace');
const loadResources = (): typeof import('@opentelemetry/resources') =>
  require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
type Global = typeof globalThis & { [STATE]?: TracingState };

/** The OTLP/HTTP traces URL the standard variables select, or `undefined` when export is off. */
export function otlpTracesUrlFromEnv(env: EnvRecord): string | undefined {
  if ((env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase() === 'true')
    return undefined;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? 'otlp')
    .split(',')
    .map((s) => s.trim().toLowerCase());
  if (!exporters.includes('otlp')) return undefined;
  const specific = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (specific) return specific;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (!base) return undefined;
  return `${base}${base.endsWith('/') ? '' : '/'}v1/traces`;
}

function positiveInt(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && Number.isInteger(n) && n > 0 ? n : fallback;
}

/**
 * Starts OpenTelemetry tracing for the process: W3C trace context and baggage
 * propagation, an AsyncLocalStorage context manager, the sampler of
 * `OTEL_TRACES_SAMPLER`, and OTLP/HTTP export when `OTEL_EXPORTER_OTLP_ENDPOINT` or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set. Without an endpoint nothing is exported,
 * but every span still gets a valid trace id (taken from an incoming `traceparent` or
 * new), so log lines can always be joined. Calling it again returns the running instance
 * (and routes diagnostics to the new call's `logger`, when one is given).
 */
export function startTracing(options: TracingOptions): Tracing {
  const g = globalThis as Global;
  const running = g[STATE];
  if (running) {
    // e.g. started early by `--import @kenos/telemetry/register`: adopt the service's logger
    if (options.logger)
      setTelemetryLogger(
        options.logger,
        options.diagnosticsIntervalMs ?? 60_000,
      );
    return running.tracing;
  }
  if (!options.serviceName)
    throw new TelemetryError(
      'KENOS_ERR_TELEMETRY_OPTIONS',
      'startTracing needs a serviceName',
    );
  const env = options.env ?? process.env;
  const logger = options.logger ?? stderrTelemetryLogger;
  setTelemetryLogger(logger, options.diagnosticsIntervalMs ?? 60_000);

  const attributes: Record<string, string> = {
    'service.name': options.serviceName,
    'service.version': options.serviceVersion,
    'service.instance.id': env.HOSTNAME ?? hostname(),
  };
  if (options.environment)
    attributes['deployment.environment.name'] = options.environment;
  const fromEnv = parseKeyPairsIntoRecord(env.OTEL_RESOURCE_ATTRIBUTES);

  const processors: SpanProcessor[] = [];
  const url = otlpTracesUrlFromEnv(env);
  if (url !== undefined) {
    const protocol = (
      env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ??
      env.OTEL_EXPORTER_OTLP_PROTOCOL ??
      ''
    ).trim();
    if (protocol === 'grpc') {
      logger.warn(
        { code: 'KENOS_ERR_TELEMETRY_OPTIONS', protocol },
        'OTLP/gRPC is not bundled; exporting OTLP/HTTP (JSON): point the endpoint at the collector HTTP port (4318)',
      );
    }
    const headers = {
      ...parseKeyPairsIntoRecord(env.OTEL_EXPORTER_OTLP_HEADERS),
      ...parseKeyPairsIntoRecord(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS),
    };
    const timeoutMillis = positiveInt(
      env.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT ?? env.OTEL_EXPORTER_OTLP_TIMEOUT,
      10_000,
    );
    const exporter = new LazyOtlpTraceExporter({ url, headers, timeoutMillis });
    processors.push(
      new (loadSdk().BatchSpanProcessor)({
        exporter,
        scheduledDelayMillis: positiveInt(env.OTEL_BSP_SCHEDULE_DELAY, 5000),
        exportTimeoutMillis: positiveInt(env.OTEL_BSP_EXPORT_TIMEOUT, 30_000),
        maxQueueSize: positiveInt(env.OTEL_BSP_MAX_QUEUE_SIZE, 2048),
        maxExportBatchSize: positiveInt(
          env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE,
          512,
        ),
      }),
    );
  }
  processors.push(...(options.spanProcessors ?? []));

  const sampler = samplerFromEnv(env, logger);
  const recording = processors.length > 0;
  let resourceAttributes: Record<string, unknown> = {
    ...fromEnv,
    ...attributes,
  };
  let provider: TracingState['provider'] & {
    getTracer(name: string, version?: string): Tracer;
  };
  if (recording) {
    const { defaultResource, resourceFromAttributes } = loadResources();
    const resource = defaultResource()
      .merge(resourceFromAttributes(fromEnv))
      .merge(resourceFromAttributes(attributes));
    resourceAttributes = { ...resource.attributes };
    provider = new (loadSdk().TracerProvider)({
      resource,
      sampler,
      spanProcessors: processors,
    });
  } else {
    provider = createPropagationOnlyProvider(sampler);
  }
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CPropagator());
  trace.setGlobalTracerProvider(provider);
  if (options.propagateOutgoing ?? true) enableOutgoingPropagation();

  const tracing: Tracing = {
    exporting: url !== undefined,
    otlpTracesUrl: url,
    recording,
    resourceAttributes,
    tracer: provider.getTracer(options.serviceName, options.serviceVersion),
    forceFlush: () => provider.forceFlush().catch(reportTelemetryFailure),
  };
  g[STATE] = { tracing, provider, contextManager };
  return tracing;
}

/** The running tracing pipeline, or `undefined` before {@link startTracing}. */
export function getTracing(): Tracing | undefined {
  return (globalThis as Global)[STATE]?.tracing;
}

/**
 * Flushes every finished span and stops tracing (register it as a lifecycle flusher).
 * Never rejects and never takes longer than `timeoutMs` (default 5000): spans not
 * exported by then are dropped. Afterwards {@link startTracing} may be called again.
 */
export async function shutdownTracing(timeoutMs = 5000): Promise<void> {
  const g = globalThis as Global;
  const state = g[STATE];
  if (!state) return;
  g[STATE] = undefined;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
    timer.unref();
  });
  try {
    await Promise.race([
      state.provider.shutdown().catch(reportTelemetryFailure),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
    disableOutgoingPropagation();
    trace.disable();
    propagation.disable();
    context.disable();
  }
}

/**
 * A flusher for `@kenos/lifecycle` (`lifecycle.registerFlusher(tracingFlusher())`): at the
 * end of shutdown it exports the remaining spans and stops tracing, within `timeoutMs`.
 */
export function tracingFlusher(timeoutMs = 5000): {
  name: string;
  flush: () => Promise<void>;
} {
  return { name: 'telemetry-traces', flush: () => shutdownTracing(timeoutMs) };
}
