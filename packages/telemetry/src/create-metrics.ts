import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  Counter,
  Gauge,
  Histogram,
  Registry,
  collectDefaultMetrics,
} from 'prom-client';
import {
  KENOS_METRICS,
  OTHER_HTTP_METHOD,
  OVERFLOW_LABEL_VALUE,
  UNMATCHED_ROUTE,
} from './catalog.js';
import { createClientMetrics, type ClientMetrics } from './client-metrics.js';
import type { TelemetryLogger } from './diagnostics.js';
import { LabeledHistogram } from './labeled-histogram.js';
import { createQueueMetrics, type QueueMetrics } from './queue-metrics.js';

/** Options of {@link createMetrics}. */
export interface MetricsOptions {
  /** Service name: the `service` label of every series and of `kenos_build_info`. Required. */
  service: string;
  /** Service version: the `version` label of `kenos_build_info`. Required. */
  version: string;
  /** The Kenos SDK version in `kenos_build_info`. Default the version of this package. */
  kenosVersion?: string;
  /** The registry to register on. Default a new prom-client `Registry` (never the global one). */
  registry?: Registry;
  /** Register prom-client's default process and Node.js runtime metrics. Default `true`. */
  collectDefaultMetrics?: boolean;
  /**
   * Add `service` as a default label of the registry, so every series (runtime metrics
   * included) can be selected by service on a shared dashboard. Default `true`.
   */
  serviceLabel?: boolean;
  /** Distinct `http_route` values kept; later new ones are recorded as `(overflow)` (with one warning). Default `500`. */
  maxRoutes?: number;
  /** Distinct `rpc_service`/`rpc_method` pairs kept; later new ones are recorded as `(overflow)` (with one warning). Default `500`. */
  maxRpcMethods?: number;
  /** Distinct `server_address` values of outgoing HTTP requests kept; later new ones are recorded as `(overflow)` (with one warning). Default `100`. */
  maxServerAddresses?: number;
  /** Receives the cardinality warnings. Default JSON lines on stderr. */
  logger?: TelemetryLogger;
}

/** One finished HTTP server request. */
export interface HttpRequestObservation {
  /** Request method; anything outside the well-known set is recorded as `_OTHER`. */
  method: string;
  /** The route template (`/users/:id`), never the raw path; `undefined` or `''` when no route matched. */
  route: string | undefined;
  /** Response status code. */
  statusCode: number;
  /** Duration in seconds. */
  durationSeconds: number;
}

/** One finished gRPC server call. */
export interface RpcCallObservation {
  /** Fully qualified service name, e.g. `kenos.example.v1.Greeter`. */
  service: string;
  /** Method name, e.g. `SayHello`. */
  method: string;
  /** gRPC status code (0 = OK). */
  grpcStatusCode: number;
  /** Duration in seconds. */
  durationSeconds: number;
}

/** Kind of job: a queue worker job or a batch run (free-form values are allowed but not advised). */
export type JobKind = 'worker' | 'batch' | (string & {});

/** How a job ended. */
export type JobResult = 'success' | 'failure' | 'cancelled';

/** Ends a job started with {@link KenosMetrics.startJob}; returns its duration in seconds. Calls after the first do nothing and return the first duration. */
export type EndJob = (result?: JobResult) => number;

/** The metrics of one Kenos process. */
export interface KenosMetrics extends QueueMetrics, ClientMetrics {
  /** The prom-client registry holding every Kenos metric; register your own metrics here too. */
  readonly registry: Registry;
  /** Records one HTTP server request in `http_server_request_duration_seconds`. */
  observeHttpRequest(observation: HttpRequestObservation): void;
  /** Records one gRPC server call in `rpc_server_call_duration_seconds`. */
  observeRpcCall(observation: RpcCallObservation): void;
  /** Marks a job or batch run as started; call the returned function when it ends. */
  startJob(kind: JobKind, name: string): EndJob;
  /** Renders the registry in the Prometheus text format. */
  metrics(): Promise<string>;
  /** `GET /metrics` handler for the admin server (bound: pass it around freely). */
  readonly metricsHandler: (
    req: IncomingMessage,
    res: ServerResponse,
  ) => Promise<void>;
}

const KNOWN_METHODS = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
]);

/**
 * Set by a bundler that inlines @kenos/telemetry into a service bundle (rolldown/esbuild `define`):
 * there, `../package.json` next to the module is the service's, not this package's.
 */
declare const __KENOS_SDK_VERSION__: string | undefined;

let ownVersion: string | undefined;
/** The version of @kenos/telemetry (all @kenos packages are released at one version); `unknown` when it cannot be told. */
export function kenosSdkVersion(): string {
  if (ownVersion === undefined) {
    if (typeof __KENOS_SDK_VERSION__ === 'string') {
      ownVersion = __KENOS_SDK_VERSION__;
    } else {
      try {
        const pkg = JSON.parse(
          readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
        ) as { name?: string; version?: string };
        // in a bundle without the define, ../package.json is some other package's: never report its version
        ownVersion =
          pkg.name === '@kenos/telemetry' && pkg.version
            ? pkg.version
            : 'unknown';
      } catch {
        ownVersion = 'unknown';
      }
    }
  }
  return ownVersion;
}

/** Normalizes an HTTP method to a bounded label value (OpenTelemetry `http.request.method`). */
export function normalizeHttpMethod(method: string | undefined): string {
  if (method !== undefined && KNOWN_METHODS.has(method)) return method;
  const upper = (method ?? '').toUpperCase();
  return KNOWN_METHODS.has(upper) ? upper : OTHER_HTTP_METHOD;
}

function labels<T extends string>(names: readonly T[]): T[] {
  return [...names];
}

/**
 * Creates the Kenos metrics of one process: default runtime metrics, `kenos_build_info`,
 * the HTTP and gRPC server and client histograms, the job and the queue metrics, on one registry.
 */
export function createMetrics(options: MetricsOptions): KenosMetrics {
  const registry = options.registry ?? new Registry();
  const kenosVersion = options.kenosVersion ?? kenosSdkVersion();
  if (options.serviceLabel ?? true) {
    registry.setDefaultLabels({ service: options.service });
  }
  if (options.collectDefaultMetrics ?? true) {
    collectDefaultMetrics({ register: registry });
  }
  const m = KENOS_METRICS;
  const buildInfo = new Gauge({
    name: m.buildInfo.name,
    help: m.buildInfo.help,
    labelNames: labels(m.buildInfo.labels),
    registers: [registry],
  });
  buildInfo.set(
    {
      service: options.service,
      version: options.version,
      kenos_version: kenosVersion,
    },
    1,
  );

  // the two request histograms are on the hot path of every request and call: LabeledHistogram
  const http = new LabeledHistogram({
    name: m.httpServerDuration.name,
    help: m.httpServerDuration.help,
    labelNames: m.httpServerDuration.labels,
    buckets: m.httpServerDuration.buckets,
    registers: [registry],
  });
  const rpc = new LabeledHistogram({
    name: m.rpcServerDuration.name,
    help: m.rpcServerDuration.help,
    labelNames: m.rpcServerDuration.labels,
    buckets: m.rpcServerDuration.buckets,
    registers: [registry],
  });
  const jobsStarted = new Counter({
    name: m.jobsStarted.name,
    help: m.jobsStarted.help,
    labelNames: labels(m.jobsStarted.labels),
    registers: [registry],
  });
  const jobsFinished = new Counter({
    name: m.jobsFinished.name,
    help: m.jobsFinished.help,
    labelNames: labels(m.jobsFinished.labels),
    registers: [registry],
  });
  const jobDuration = new Histogram({
    name: m.jobDuration.name,
    help: m.jobDuration.help,
    labelNames: labels(m.jobDuration.labels),
    buckets: [...m.jobDuration.buckets],
    registers: [registry],
  });
  const jobsInFlight = new Gauge({
    name: m.jobsInFlight.name,
    help: m.jobsInFlight.help,
    labelNames: labels(m.jobsInFlight.labels),
    registers: [registry],
  });
  const jobLastSuccess = new Gauge({
    name: m.jobLastSuccess.name,
    help: m.jobLastSuccess.help,
    labelNames: labels(m.jobLastSuccess.labels),
    registers: [registry],
  });

  const logger = options.logger;
  const guard = (limit: number, what: string) => {
    const seen = new Set<string>();
    let warned = false;
    return (value: string): boolean => {
      if (seen.has(value)) return true;
      if (seen.size < limit) {
        seen.add(value);
        return true;
      }
      if (!warned) {
        warned = true;
        const obj = { code: 'KENOS_ERR_TELEMETRY_CARDINALITY', limit, value };
        const msg = `more than ${limit} distinct ${what}: new ones are recorded as ${OVERFLOW_LABEL_VALUE}; pass route templates, not raw paths`;
        if (logger) logger.warn(obj, msg);
        else
          process.stderr.write(
            `${JSON.stringify({ level: 'warn', time: new Date().toISOString(), component: 'telemetry', ...obj, msg })}\n`,
          );
      }
      return false;
    };
  };
  const routeAllowed = guard(options.maxRoutes ?? 500, 'http_route values');
  const rpcAllowed = guard(
    options.maxRpcMethods ?? 500,
    'rpc_service/rpc_method pairs',
  );

  const clientMetrics = createClientMetrics(registry, normalizeHttpMethod, {
    serverAddress: guard(
      options.maxServerAddresses ?? 100,
      'server_address values of outgoing HTTP requests',
    ),
    rpcMethod: guard(
      options.maxRpcMethods ?? 500,
      'rpc_service/rpc_method pairs of outgoing calls',
    ),
  });
  const queueMetrics = createQueueMetrics(registry, logger);

  const metricsHandler = async (
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> => {
    try {
      const body = await registry.metrics();
      res.statusCode = 200;
      res.setHeader('Content-Type', registry.contentType);
      res.setHeader('Cache-Control', 'no-store');
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      res.statusCode = 500;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end(`KENOS_ERR_TELEMETRY_SCRAPE: ${(err as Error).message}\n`);
    }
  };

  return {
    registry,
    observeHttpClientRequest: clientMetrics.observeHttpClientRequest,
    observeRpcClientCall: clientMetrics.observeRpcClientCall,
    observeJobQueueLatency: queueMetrics.observeJobQueueLatency,
    trackQueueDepth: queueMetrics.trackQueueDepth,
    observeHttpRequest({ method, route, statusCode, durationSeconds }) {
      http.observe(
        [
          normalizeHttpMethod(method),
          route === undefined || route === ''
            ? UNMATCHED_ROUTE
            : routeAllowed(route)
              ? route
              : OVERFLOW_LABEL_VALUE,
          String(statusCode),
        ],
        durationSeconds,
      );
    },
    observeRpcCall({ service, method, grpcStatusCode, durationSeconds }) {
      const known = rpcAllowed(`${service}/${method}`);
      rpc.observe(
        [
          known ? service : OVERFLOW_LABEL_VALUE,
          known ? method : OVERFLOW_LABEL_VALUE,
          String(grpcStatusCode),
        ],
        durationSeconds,
      );
    },
    startJob(kind, name) {
      const base = { job_kind: kind, job_name: name };
      jobsStarted.inc(base);
      jobsInFlight.inc(base);
      const start = process.hrtime.bigint();
      let duration: number | undefined;
      return (result: JobResult = 'success') => {
        if (duration !== undefined) return duration;
        duration = Number(process.hrtime.bigint() - start) / 1e9;
        jobsInFlight.dec(base);
        jobsFinished.inc({ ...base, job_result: result });
        jobDuration.observe({ ...base, job_result: result }, duration);
        if (result === 'success') jobLastSuccess.set(base, Date.now() / 1000);
        return duration;
      };
    },
    metrics: () => registry.metrics(),
    metricsHandler,
  };
}
