import {
  quantiles,
  ratio,
  RI,
  S,
  type RowSpec,
} from './dashboard-panel-spec.js';
import {
  GRPC_DEPENDENCY_ERRORS,
  HTTP_DEPENDENCY_ERRORS,
  M,
  sel,
} from './promql.js';

/**
 * `kenos_queue_jobs` of one queue, counted once: every pod that tracks a queue reads the same
 * engine, so the pods' values are the same number (max), and only queues of different namespaces
 * add up.
 */
function queueGauge(by: string, state?: string): string {
  return `max by (namespace, ${by}) (${M.queueJobs}${sel(S, state && `job_state="${state}"`)})`;
}

/** The "Queues" row: depth, backlog growth, dead letters and waiting time of the job queues. */
export function queueRow(): RowSpec {
  return {
    title: 'Queues',
    panels: [
      {
        title: 'Queue depth by state',
        description:
          'Jobs in each queue by state (waiting, active, delayed, failed = dead letters), read from the queue engine at scrape time; stacked per queue.',
        unit: 'short',
        stacked: true,
        queries: [
          [
            `sum by (queue, job_state) (${queueGauge('queue, job_state')})`,
            '{{queue}} {{job_state}}',
          ],
        ],
      },
      {
        title: 'Waiting backlog growth (jobs per minute)',
        description:
          'Trend of the waiting jobs of each queue over 5 minutes (linear regression): above 0, producers outpace the workers (alert KenosQueueBacklogGrowing).',
        unit: 'short',
        queries: [
          [
            `sum by (queue) (max by (namespace, queue) (deriv(${M.queueJobs}${sel(S, 'job_state="waiting"')}[5m]))) * 60`,
            '{{queue}}',
          ],
        ],
      },
      {
        title: 'Dead-lettered jobs (failed)',
        description:
          'Jobs of each queue that used up their attempts and wait in the failed state for a look, a retry or removal (alert KenosJobsDeadLettered).',
        unit: 'short',
        queries: [
          [`sum by (queue) (${queueGauge('queue', 'failed')})`, '{{queue}}'],
        ],
      },
      {
        title: 'Queue latency p50 / p99',
        description:
          'Time from enqueue to the start of a job, per job name (a retry counts from the original enqueue): how long work waits for a worker.',
        unit: 's',
        queries: quantiles(
          M.jobQueueLatencyBucket,
          'job_name',
          '{{job_name}}',
        ).filter((_, i) => i !== 1),
      },
    ],
  };
}

/**
 * The "Dependencies" row: outgoing HTTP requests and gRPC calls by target (`server_address`,
 * `rpc_service`). Every try is one observation, so retries show as extra requests and failures.
 */
export function dependencyRow(): RowSpec {
  const rate = (count: string, by: string, extra?: string): string =>
    `sum by (${by}) (rate(${count}${sel(S, extra)}[${RI}]))`;
  const p99 = (bucket: string, by: string): string =>
    `histogram_quantile(0.99, sum by (${by}, le) (rate(${bucket}${sel(S)}[${RI}])))`;
  return {
    title: 'Dependencies',
    panels: [
      {
        title: 'Outgoing requests per second by target',
        description:
          'Tries per second of outgoing HTTP requests per server address (host:port) and of outgoing gRPC calls per service.',
        unit: 'reqps',
        queries: [
          [
            rate(M.httpClientCount, 'server_address'),
            'HTTP {{server_address}}',
          ],
          [rate(M.rpcClientCount, 'rpc_service'), 'gRPC {{rpc_service}}'],
        ],
      },
      {
        title: 'Error ratio by target',
        description:
          'Share of failed tries per target. HTTP: 5xx, 429, timeout and connection errors (other 4xx and tries the caller aborted do not count). gRPC: UNKNOWN, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS.',
        unit: 'percentunit',
        queries: [
          [
            ratio(M.httpClientCount, HTTP_DEPENDENCY_ERRORS, 'server_address'),
            'HTTP {{server_address}}',
          ],
          [
            ratio(M.rpcClientCount, GRPC_DEPENDENCY_ERRORS, 'rpc_service'),
            'gRPC {{rpc_service}}',
          ],
        ],
      },
      {
        title: 'Latency p99 by target',
        description:
          'p99 duration of outgoing tries per target, failed tries included (a timeout lasts as long as its limit).',
        unit: 's',
        queries: [
          [
            p99(M.httpClientBucket, 'server_address'),
            'HTTP {{server_address}}',
          ],
          [p99(M.rpcClientBucket, 'rpc_service'), 'gRPC {{rpc_service}}'],
        ],
      },
      {
        title: 'Failed tries per second by target and reason',
        description:
          'Every try that did not succeed, by HTTP error type (timeout, connection, aborted, the status code) or gRPC status code, including those the error ratio leaves out.',
        unit: 'reqps',
        queries: [
          [
            rate(
              M.httpClientCount,
              'server_address, error_type',
              'error_type!=""',
            ),
            'HTTP {{server_address}} {{error_type}}',
          ],
          [
            rate(
              M.rpcClientCount,
              'rpc_service, rpc_grpc_status_code',
              'rpc_grpc_status_code!="0"',
            ),
            'gRPC {{rpc_service}} code {{rpc_grpc_status_code}}',
          ],
        ],
      },
    ],
  };
}
