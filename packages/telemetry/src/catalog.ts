/**
 * The one source of truth for every metric name, label and bucket layout that Kenos
 * services expose. The metrics factory, the Grafana dashboard, the Prometheus alert
 * rules and docs/observability.md are all generated from (or checked against) this
 * module, so they cannot drift apart.
 */

/** The kind of a Prometheus metric. */
export type MetricType = 'counter' | 'gauge' | 'histogram';

/** One metric of the Kenos catalog. */
export interface MetricSpec {
  /** Prometheus metric name (for histograms, the base name without `_bucket`/`_sum`/`_count`). */
  readonly name: string;
  /** Counter, gauge or histogram. */
  readonly type: MetricType;
  /** The `# HELP` text. */
  readonly help: string;
  /** Label names, in a fixed order. */
  readonly labels: readonly string[];
  /** Histogram bucket upper bounds, in seconds. */
  readonly buckets?: readonly number[];
}

/**
 * Latency buckets for REST and gRPC server histograms, in seconds: the OpenTelemetry
 * semantic-convention defaults for `http.server.request.duration`. Dense between 5 ms
 * and 1 s where API latency objectives live (p99 targets of 100 ms … 1 s are
 * resolved to within one bucket), sparse up to 10 s for the slow tail.
 */
export const API_LATENCY_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

/**
 * Duration buckets for worker jobs and batch runs, in seconds: 10 ms to 1 hour, because
 * a queue job usually takes milliseconds and a batch run minutes.
 */
export const JOB_DURATION_BUCKETS: readonly number[] = [
  0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 1800, 3600,
];

/**
 * The `http_route` label value for requests that matched no route. Using one fixed
 * value (never the raw path) means a scan of random URLs adds one series, not one per URL.
 */
export const UNMATCHED_ROUTE = '(unmatched)';

/**
 * The `http_route`, `rpc_service` and `rpc_method` label value once a process has seen more
 * distinct routes or RPC methods than its limit (`maxRoutes`, `maxRpcMethods` of
 * createMetrics): a guard against raw paths or client-chosen method names reaching a label.
 */
export const OVERFLOW_LABEL_VALUE = '(overflow)';

/** The `http_request_method` label value for a method outside the well-known set (OpenTelemetry `_OTHER`). */
export const OTHER_HTTP_METHOD = '_OTHER';

/** The metrics Kenos defines itself. */
export const KENOS_METRICS = {
  buildInfo: {
    name: 'kenos_build_info',
    type: 'gauge',
    help: 'Always 1; labels name the service, its version and the Kenos SDK version it runs on.',
    labels: ['service', 'version', 'kenos_version'],
  },
  httpServerDuration: {
    name: 'http_server_request_duration_seconds',
    type: 'histogram',
    help: 'Duration of HTTP server requests, by method, route template and response status code.',
    labels: ['http_request_method', 'http_route', 'http_response_status_code'],
    buckets: API_LATENCY_BUCKETS,
  },
  rpcServerDuration: {
    name: 'rpc_server_call_duration_seconds',
    type: 'histogram',
    help: 'Duration of gRPC server calls, by service, method and gRPC status code.',
    labels: ['rpc_service', 'rpc_method', 'rpc_grpc_status_code'],
    buckets: API_LATENCY_BUCKETS,
  },
  jobsStarted: {
    name: 'kenos_jobs_started_total',
    type: 'counter',
    help: 'Worker jobs and batch runs started.',
    labels: ['job_kind', 'job_name'],
  },
  jobsFinished: {
    name: 'kenos_jobs_finished_total',
    type: 'counter',
    help: 'Worker jobs and batch runs finished, by result (success, failure, cancelled).',
    labels: ['job_kind', 'job_name', 'job_result'],
  },
  jobDuration: {
    name: 'kenos_job_duration_seconds',
    type: 'histogram',
    help: 'Duration of worker jobs and batch runs, by result.',
    labels: ['job_kind', 'job_name', 'job_result'],
    buckets: JOB_DURATION_BUCKETS,
  },
  jobsInFlight: {
    name: 'kenos_jobs_in_flight',
    type: 'gauge',
    help: 'Worker jobs and batch runs currently running.',
    labels: ['job_kind', 'job_name'],
  },
  jobQueueLatency: {
    name: 'kenos_job_queue_latency_seconds',
    type: 'histogram',
    help: 'Time from enqueue to the start of a worker job (retries included), by job name.',
    labels: ['job_name'],
    buckets: JOB_DURATION_BUCKETS,
  },
  queueJobs: {
    name: 'kenos_queue_jobs',
    type: 'gauge',
    help: 'Jobs in a queue by state (waiting, active, delayed, failed), read from the queue engine at scrape time.',
    labels: ['queue', 'job_state'],
  },
  httpClientDuration: {
    name: 'http_client_request_duration_seconds',
    type: 'histogram',
    help: 'Duration of outgoing HTTP requests (each try), by method, server address, status code and error type.',
    labels: [
      'http_request_method',
      'server_address',
      'http_response_status_code',
      'error_type',
    ],
    buckets: API_LATENCY_BUCKETS,
  },
  rpcClientDuration: {
    name: 'rpc_client_call_duration_seconds',
    type: 'histogram',
    help: 'Duration of outgoing gRPC calls (each try), by service, method and gRPC status code.',
    labels: ['rpc_service', 'rpc_method', 'rpc_grpc_status_code'],
    buckets: API_LATENCY_BUCKETS,
  },
  jobLastSuccess: {
    name: 'kenos_job_last_success_timestamp_seconds',
    type: 'gauge',
    help: 'Unix time of the last successful finish of a job or batch run.',
    labels: ['job_kind', 'job_name'],
  },
} as const satisfies Record<string, MetricSpec>;

/**
 * The prom-client default process and Node.js runtime metrics that the dashboard and
 * alerts read (prom-client exposes a few more, listed in docs/observability.md).
 */
export const RUNTIME_METRICS = {
  cpuSeconds: 'process_cpu_seconds_total',
  residentMemory: 'process_resident_memory_bytes',
  heapUsed: 'nodejs_heap_size_used_bytes',
  heapTotal: 'nodejs_heap_size_total_bytes',
  eventLoopLagP50: 'nodejs_eventloop_lag_p50_seconds',
  eventLoopLagP99: 'nodejs_eventloop_lag_p99_seconds',
  gcDuration: 'nodejs_gc_duration_seconds',
  activeHandles: 'nodejs_active_handles_total',
} as const;

/**
 * gRPC status codes that count as server errors (OpenTelemetry semantic conventions):
 * UNKNOWN 2, DEADLINE_EXCEEDED 4, UNIMPLEMENTED 12, INTERNAL 13, UNAVAILABLE 14, DATA_LOSS 15.
 */
export const GRPC_SERVER_ERROR_CODES: readonly number[] = [
  2, 4, 12, 13, 14, 15,
];

/** The states `kenos_queue_jobs` reports (label `job_state`). */
export const QUEUE_JOB_STATES = [
  'waiting',
  'active',
  'delayed',
  'failed',
] as const;

/** One of {@link QUEUE_JOB_STATES}. */
export type QueueJobState = (typeof QUEUE_JOB_STATES)[number];

/** Labels every Kenos series carries: `service` is set as a registry default label by createMetrics. */
export const SERVICE_LABEL = 'service';
