import { UNMATCHED_ROUTE } from './catalog.js';
import {
  GRPC_DEPENDENCY_ERRORS,
  GRPC_ERRORS,
  HTTP_5XX,
  HTTP_DEPENDENCY_ERRORS,
  M,
  quote,
  sel,
} from './promql.js';

/** Options of {@link buildAlertRules}. */
export interface AlertRulesOptions {
  /** Restrict every rule to one service (`service="…"`). Default every service (fleet-wide rules). */
  service?: string;
  /** Availability objective of HTTP and gRPC requests, for the error-budget burn rates. Default `0.999`. */
  availabilityObjective?: number;
  /** p99 latency above which KenosHttpLatencyP99High / KenosGrpcLatencyP99High fire, in seconds. Default `1`. */
  latencyP99Seconds?: number;
  /** Event-loop lag p99 above which KenosEventLoopLagHigh fires, in seconds. Default `0.2`. */
  eventLoopLagSeconds?: number;
  /** Age of the last successful batch run after which KenosBatchNotSucceeded fires, in seconds. Default `93600` (26 h: a daily schedule plus slack). */
  batchMaxAgeSeconds?: number;
  /** Share of failed worker jobs above which KenosJobFailureRatioHigh fires. Default `0.1`. */
  jobFailureRatio?: number;
  /** Waiting jobs of one queue above which KenosQueueBacklogGrowing fires while the backlog still grows. Default `100`. */
  queueBacklogJobs?: number;
  /** Jobs of one queue that may be dead-lettered (state `failed`) within 15 minutes before KenosJobsDeadLettered fires. Default `0` (the first one fires). */
  deadLetteredJobs?: number;
  /** Share of failed outgoing tries to one target above which KenosDependencyFailing fires. Default `0.05`. */
  dependencyErrorRatio?: number;
  /** Outgoing tries per second to one target below which KenosDependencyFailing stays silent (too few for a ratio). Default `0.1` (30 tries in the 5-minute window). */
  dependencyMinRequestRate?: number;
  /** How long a pod must be not ready before KenosPodNotReady fires. Default `'15m'`. */
  podNotReadyFor?: string;
  /** Base of every alert's `runbook_url` annotation; the alert name (lower case) is appended as `#anchor`. Default the docs/observability.md page of the Kenos repository. */
  runbookBaseUrl?: string;
  /** Labels added to every alert (e.g. `{ team: 'payments' }`). Default none. */
  labels?: Record<string, string>;
}

/** A Prometheus recording rule. */
export interface RecordingRule {
  record: string;
  expr: string;
}

/** A Prometheus alerting rule. */
export interface AlertingRule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** A Prometheus rule file. */
export interface PrometheusRuleFile {
  groups: {
    name: string;
    interval?: string;
    rules: (RecordingRule | AlertingRule)[];
  }[];
}

/** Default `runbook_url` base. */
export const DEFAULT_RUNBOOK_BASE_URL =
  'https://github.com/kenos-platform/kenos/blob/main/docs/observability.md';

/** Windows of the error-ratio recording rules. */
export const ERROR_RATIO_WINDOWS = ['5m', '30m', '1h', '6h'] as const;

const round = (n: number): number => Number(n.toPrecision(6));
const BY = 'namespace, service';

/**
 * Builds the Kenos Prometheus rules: error-ratio recording rules and the alerts of
 * docs/observability.md (multi-window burn rates on HTTP 5xx and gRPC errors, p99
 * latency, pod readiness, scrape target down, batch freshness, job failures, queue backlog, dead
 * letters, failing dependencies, event-loop lag).
 */
export function buildAlertRules(
  options: AlertRulesOptions = {},
): PrometheusRuleFile {
  const o = {
    availabilityObjective: 0.999,
    latencyP99Seconds: 1,
    eventLoopLagSeconds: 0.2,
    batchMaxAgeSeconds: 93_600,
    jobFailureRatio: 0.1,
    queueBacklogJobs: 100,
    deadLetteredJobs: 0,
    dependencyErrorRatio: 0.05,
    dependencyMinRequestRate: 0.1,
    podNotReadyFor: '15m',
    runbookBaseUrl: DEFAULT_RUNBOOK_BASE_URL,
    labels: {},
    ...options,
  };
  const svc =
    o.service === undefined ? undefined : `service=${quote(o.service)}`;
  const budget = 1 - o.availabilityObjective;

  const recording: RecordingRule[] = [];
  for (const w of ERROR_RATIO_WINDOWS) {
    recording.push({
      record: `service:http_server_error_ratio:rate${w}`,
      expr: `sum by (${BY}) (rate(${M.httpCount}${sel(svc, HTTP_5XX)}[${w}]))\n/\nsum by (${BY}) (rate(${M.httpCount}${sel(svc)}[${w}]))`,
    });
  }
  for (const w of ERROR_RATIO_WINDOWS) {
    recording.push({
      record: `service:rpc_server_error_ratio:rate${w}`,
      expr: `sum by (${BY}) (rate(${M.rpcCount}${sel(svc, GRPC_ERRORS)}[${w}]))\n/\nsum by (${BY}) (rate(${M.rpcCount}${sel(svc)}[${w}]))`,
    });
  }

  const alert = (
    name: string,
    severity: 'critical' | 'warning',
    expr: string,
    forDuration: string | undefined,
    summary: string,
    description: string,
  ): AlertingRule => ({
    alert: name,
    expr,
    ...(forDuration ? { for: forDuration } : {}),
    labels: { severity, ...o.labels },
    annotations: {
      summary,
      description,
      runbook_url: `${o.runbookBaseUrl}#${name.toLowerCase()}`,
    },
  });

  const burn = (
    kind: 'http' | 'rpc',
    label: string,
    factor: number,
    long: string,
    short: string,
  ) =>
    `service:${kind}_server_error_ratio:rate${long} > ${round(factor * budget)}\nand\nservice:${kind}_server_error_ratio:rate${short} > ${round(factor * budget)}`;
  const objective = `${round(o.availabilityObjective * 100)}%`;
  // every pod tracking a queue reports the same engine's count: one series per queue, not per pod
  const queue = (state: string, fn: string) =>
    `max by (${BY}, queue) (${fn}(${M.queueJobs}${sel(svc, `job_state="${state}"`)}[15m]))`;
  const waiting = `max by (${BY}, queue) (${M.queueJobs}${sel(svc, 'job_state="waiting"')})`;
  const failing = (count: string, errors: string, target: string) => {
    const by = `sum by (${BY}, ${target})`;
    const all = `${by} (rate(${count}${sel(svc)}[5m]))`;
    return `(\n  ${by} (rate(${count}${sel(svc, errors)}[5m]))\n  /\n  ${all}\n  > ${o.dependencyErrorRatio}\n  and\n  ${all} >= ${o.dependencyMinRequestRate}\n)`;
  };

  const alerts: AlertingRule[] = [
    alert(
      'KenosHttpErrorBudgetBurnFast',
      'critical',
      burn('http', '5xx', 14.4, '1h', '5m'),
      '2m',
      'HTTP 5xx ratio of {{ $labels.service }} burns the error budget 14x too fast',
      `{{ $labels.service }} in {{ $labels.namespace }} answers {{ $value | humanizePercentage }} of HTTP requests with 5xx over the last hour (objective ${objective}): at this rate the 30-day budget is gone in 2 days.`,
    ),
    alert(
      'KenosHttpErrorBudgetBurnSlow',
      'warning',
      burn('http', '5xx', 6, '6h', '30m'),
      '15m',
      'HTTP 5xx ratio of {{ $labels.service }} burns the error budget 6x too fast',
      `{{ $labels.service }} in {{ $labels.namespace }} answers {{ $value | humanizePercentage }} of HTTP requests with 5xx over the last 6 hours (objective ${objective}).`,
    ),
    alert(
      'KenosGrpcErrorBudgetBurnFast',
      'critical',
      burn('rpc', 'grpc', 14.4, '1h', '5m'),
      '2m',
      'gRPC error ratio of {{ $labels.service }} burns the error budget 14x too fast',
      `{{ $labels.service }} in {{ $labels.namespace }} fails {{ $value | humanizePercentage }} of gRPC calls with a server error code over the last hour (objective ${objective}).`,
    ),
    alert(
      'KenosGrpcErrorBudgetBurnSlow',
      'warning',
      burn('rpc', 'grpc', 6, '6h', '30m'),
      '15m',
      'gRPC error ratio of {{ $labels.service }} burns the error budget 6x too fast',
      `{{ $labels.service }} in {{ $labels.namespace }} fails {{ $value | humanizePercentage }} of gRPC calls with a server error code over the last 6 hours (objective ${objective}).`,
    ),
    alert(
      'KenosHttpLatencyP99High',
      'warning',
      `histogram_quantile(0.99, sum by (${BY}, le) (rate(${M.httpBucket}${sel(svc, `http_route!=${quote(UNMATCHED_ROUTE)}`)}[5m]))) > ${o.latencyP99Seconds}`,
      '10m',
      'HTTP p99 latency of {{ $labels.service }} is above ' +
        `${o.latencyP99Seconds}s`,
      '{{ $labels.service }} in {{ $labels.namespace }} serves 1% of HTTP requests slower than {{ $value | humanizeDuration }}.',
    ),
    alert(
      'KenosGrpcLatencyP99High',
      'warning',
      `histogram_quantile(0.99, sum by (${BY}, le) (rate(${M.rpcBucket}${sel(svc)}[5m]))) > ${o.latencyP99Seconds}`,
      '10m',
      'gRPC p99 latency of {{ $labels.service }} is above ' +
        `${o.latencyP99Seconds}s`,
      '{{ $labels.service }} in {{ $labels.namespace }} serves 1% of gRPC calls slower than {{ $value | humanizeDuration }}.',
    ),
    alert(
      'KenosPodNotReady',
      'warning',
      `(max by (namespace, pod) (kube_pod_status_ready{condition="true"}) == 0)\n* on (namespace, pod) group_left (service)\nmax by (namespace, pod, service) (max_over_time(${M.buildInfo}${sel(svc)}[30m]))`,
      o.podNotReadyFor,
      'Pod {{ $labels.pod }} of {{ $labels.service }} is not ready',
      `Pod {{ $labels.pod }} of {{ $labels.service }} in {{ $labels.namespace }} has not been ready for ${o.podNotReadyFor} (kube-state-metrics kube_pod_status_ready).`,
    ),
    alert(
      'KenosScrapeTargetDown',
      'warning',
      `up${sel(svc ?? 'service!=""')} == 0`,
      '5m',
      'Prometheus cannot scrape {{ $labels.instance }} of {{ $labels.service }}',
      'The admin endpoint /metrics of {{ $labels.service }} ({{ $labels.pod }}, {{ $labels.instance }}) has not answered a scrape for 5 minutes.',
    ),
    alert(
      'KenosBatchNotSucceeded',
      'warning',
      `time() - max by (${BY}, job_name) (max_over_time(${M.jobLastSuccess}${sel(svc, 'job_kind="batch"')}[7d])) > ${o.batchMaxAgeSeconds}`,
      undefined,
      'Batch {{ $labels.job_name }} of {{ $labels.service }} has not succeeded within its schedule',
      `The last successful run of batch {{ $labels.job_name }} of {{ $labels.service }} in {{ $labels.namespace }} was {{ $value | humanizeDuration }} ago (limit ${o.batchMaxAgeSeconds}s).`,
    ),
    alert(
      'KenosJobFailureRatioHigh',
      'warning',
      `sum by (${BY}, job_kind, job_name) (rate(${M.jobsFinished}${sel(svc, 'job_result="failure"')}[15m]))\n/\nsum by (${BY}, job_kind, job_name) (rate(${M.jobsFinished}${sel(svc)}[15m]))\n> ${o.jobFailureRatio}`,
      '15m',
      'Jobs {{ $labels.job_name }} of {{ $labels.service }} fail often',
      '{{ $value | humanizePercentage }} of {{ $labels.job_kind }} jobs {{ $labels.job_name }} of {{ $labels.service }} in {{ $labels.namespace }} failed over the last 15 minutes.',
    ),
    alert(
      'KenosQueueBacklogGrowing',
      'warning',
      `${waiting} > ${o.queueBacklogJobs}\nand\n${queue('waiting', 'deriv')} > 0`,
      '15m',
      'Queue {{ $labels.queue }} of {{ $labels.service }} falls behind',
      `Queue {{ $labels.queue }} of {{ $labels.service }} in {{ $labels.namespace }} has {{ $value }} waiting jobs (limit ${o.queueBacklogJobs}) and has kept growing for 15 minutes: producers outpace the workers.`,
    ),
    alert(
      'KenosJobsDeadLettered',
      'warning',
      `${queue('failed', 'delta')} > ${o.deadLetteredJobs}`,
      undefined,
      'Jobs of queue {{ $labels.queue }} of {{ $labels.service }} were dead-lettered',
      'The failed (dead letter) count of queue {{ $labels.queue }} of {{ $labels.service }} in {{ $labels.namespace }} rose by {{ $value | printf "%.0f" }} in the last 15 minutes: jobs used up their attempts.',
    ),
    alert(
      'KenosDependencyFailing',
      'warning',
      `${failing(M.httpClientCount, HTTP_DEPENDENCY_ERRORS, 'server_address')}\nor\n${failing(M.rpcClientCount, GRPC_DEPENDENCY_ERRORS, 'rpc_service')}`,
      '10m',
      'Calls of {{ $labels.service }} to {{ $labels.server_address }}{{ $labels.rpc_service }} fail',
      `{{ $value | humanizePercentage }} of the outgoing tries of {{ $labels.service }} in {{ $labels.namespace }} to {{ $labels.server_address }}{{ $labels.rpc_service }} failed over the last 5 minutes (limit ${round(o.dependencyErrorRatio * 100)}%).`,
    ),
    alert(
      'KenosEventLoopLagHigh',
      'warning',
      `max by (${BY}, pod) (${M.eventLoopLagP99}${sel(svc)}) > ${o.eventLoopLagSeconds}`,
      '10m',
      'Event loop of {{ $labels.pod }} ({{ $labels.service }}) lags',
      '{{ $labels.service }} pod {{ $labels.pod }} in {{ $labels.namespace }} has an event-loop delay p99 of {{ $value | humanizeDuration }}: CPU-bound work blocks every request.',
    ),
  ];

  return {
    groups: [
      { name: 'kenos.recording', rules: recording },
      { name: 'kenos.alerts', rules: alerts },
    ],
  };
}
