import {
  quantiles,
  ratio,
  RI,
  S,
  type RowSpec,
} from './dashboard-panel-spec.js';
import { GRPC_ERRORS, HTTP_5XX, M, sel } from './promql.js';
import { dependencyRow, queueRow } from './queue-and-dependency-rows.js';

/** Options of {@link buildDashboard}. */
export interface DashboardOptions {
  /** Dashboard title. Default `'Kenos service'`. */
  title?: string;
  /** Dashboard uid (stable across imports). Default `'kenos-service'`. */
  uid?: string;
  /** Preselected value of the `service` variable. Default none (Grafana picks the first). */
  service?: string;
  /** Dashboard tags. Default `['kenos']`. */
  tags?: string[];
}

/** One PromQL query of a panel. */
export interface DashboardTarget {
  refId: string;
  expr: string;
  legendFormat: string;
  datasource: { type: 'prometheus'; uid: string };
}

/** A Grafana panel (the subset Kenos writes). */
export interface DashboardPanel {
  id: number;
  type: 'row' | 'timeseries' | 'stat' | 'table';
  title: string;
  description?: string;
  gridPos: { x: number; y: number; w: number; h: number };
  collapsed?: boolean;
  panels?: DashboardPanel[];
  datasource?: { type: 'prometheus'; uid: string };
  targets?: DashboardTarget[];
  fieldConfig?: {
    defaults: { unit: string; min?: number; custom?: Record<string, unknown> };
    overrides: unknown[];
  };
  options?: Record<string, unknown>;
}

/** A Grafana dashboard model (JSON), ready to import or provision. */
export interface GrafanaDashboard {
  uid: string;
  title: string;
  tags: string[];
  description: string;
  editable: boolean;
  schemaVersion: number;
  version: number;
  timezone: string;
  refresh: string;
  time: { from: string; to: string };
  graphTooltip: number;
  annotations: { list: unknown[] };
  templating: { list: Record<string, unknown>[] };
  panels: DashboardPanel[];
}

const DS = { type: 'prometheus' as const, uid: '${datasource}' };

function rowSpecs(): RowSpec[] {
  return [
    {
      title: 'Overview',
      panels: [
        {
          title: 'HTTP requests per second',
          description: 'All REST requests of the selected services.',
          unit: 'reqps',
          type: 'stat',
          queries: [
            [`sum(rate(${M.httpCount}${sel(S)}[${RI}]))`, 'requests/s'],
          ],
        },
        {
          title: 'HTTP 5xx ratio',
          description: 'Share of REST responses with a 5xx status.',
          unit: 'percentunit',
          type: 'stat',
          queries: [[ratio(M.httpCount, HTTP_5XX, ''), '5xx ratio']],
        },
        {
          title: 'gRPC calls per second',
          description: 'All gRPC calls of the selected services.',
          unit: 'reqps',
          type: 'stat',
          queries: [[`sum(rate(${M.rpcCount}${sel(S)}[${RI}]))`, 'calls/s']],
        },
        {
          title: 'gRPC error ratio',
          description:
            'Share of gRPC calls ending with a server error code (UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS).',
          unit: 'percentunit',
          type: 'stat',
          queries: [[ratio(M.rpcCount, GRPC_ERRORS, ''), 'error ratio']],
        },
        {
          title: 'Versions running',
          description:
            'Pods per service version and Kenos SDK version (kenos_build_info).',
          unit: 'short',
          type: 'table',
          queries: [
            [
              `count by (service, version, kenos_version) (${M.buildInfo}${sel(S)})`,
              '{{service}} {{version}} (kenos {{kenos_version}})',
            ],
          ],
        },
      ],
    },
    {
      title: 'HTTP (REST)',
      panels: [
        {
          title: 'Requests per second by route',
          description: 'Request rate per method and route template.',
          unit: 'reqps',
          queries: [
            [
              `sum by (http_request_method, http_route) (rate(${M.httpCount}${sel(S)}[${RI}]))`,
              '{{http_request_method}} {{http_route}}',
            ],
          ],
        },
        {
          title: 'Responses per second by status code',
          description: 'Response rate per HTTP status code.',
          unit: 'reqps',
          queries: [
            [
              `sum by (http_response_status_code) (rate(${M.httpCount}${sel(S)}[${RI}]))`,
              '{{http_response_status_code}}',
            ],
          ],
        },
        {
          title: '5xx ratio by route',
          description: 'Share of 5xx responses per route template.',
          unit: 'percentunit',
          queries: [
            [ratio(M.httpCount, HTTP_5XX, 'http_route'), '{{http_route}}'],
          ],
        },
        {
          title: 'Latency p50 / p90 / p99 by route',
          description:
            'Request duration quantiles per route template, from the histogram buckets.',
          unit: 's',
          queries: quantiles(M.httpBucket, 'http_route', '{{http_route}}'),
        },
      ],
    },
    {
      title: 'gRPC',
      panels: [
        {
          title: 'Calls per second by RPC',
          description: 'Call rate per service and method.',
          unit: 'reqps',
          queries: [
            [
              `sum by (rpc_service, rpc_method) (rate(${M.rpcCount}${sel(S)}[${RI}]))`,
              '{{rpc_service}}/{{rpc_method}}',
            ],
          ],
        },
        {
          title: 'Calls per second by status code',
          description: 'Call rate per gRPC status code (0 = OK).',
          unit: 'reqps',
          queries: [
            [
              `sum by (rpc_grpc_status_code) (rate(${M.rpcCount}${sel(S)}[${RI}]))`,
              'code {{rpc_grpc_status_code}}',
            ],
          ],
        },
        {
          title: 'Error ratio by RPC',
          description:
            'Share of calls ending with a server error code, per method.',
          unit: 'percentunit',
          queries: [
            [
              ratio(M.rpcCount, GRPC_ERRORS, 'rpc_service, rpc_method'),
              '{{rpc_service}}/{{rpc_method}}',
            ],
          ],
        },
        {
          title: 'Latency p50 / p90 / p99 by RPC',
          description: 'Call duration quantiles per method.',
          unit: 's',
          queries: quantiles(
            M.rpcBucket,
            'rpc_service, rpc_method',
            '{{rpc_service}}/{{rpc_method}}',
          ),
        },
      ],
    },
    dependencyRow(),
    {
      title: 'Jobs (workers and batches)',
      panels: [
        {
          title: 'Jobs started per second',
          description: 'Start rate per job kind and name.',
          unit: 'ops',
          queries: [
            [
              `sum by (job_kind, job_name) (rate(${M.jobsStarted}${sel(S)}[${RI}]))`,
              '{{job_kind}} {{job_name}}',
            ],
          ],
        },
        {
          title: 'Jobs finished per second by result',
          description:
            'Finish rate per job and result (success, failure, cancelled).',
          unit: 'ops',
          queries: [
            [
              `sum by (job_name, job_result) (rate(${M.jobsFinished}${sel(S)}[${RI}]))`,
              '{{job_name}} {{job_result}}',
            ],
          ],
        },
        {
          title: 'Jobs in flight',
          description: 'Jobs running right now, per job.',
          unit: 'short',
          queries: [
            [
              `sum by (job_kind, job_name) (${M.jobsInFlight}${sel(S)})`,
              '{{job_kind}} {{job_name}}',
            ],
          ],
        },
        {
          title: 'Job duration p50 / p99',
          description: 'Job duration quantiles per job.',
          unit: 's',
          queries: quantiles(
            M.jobDurationBucket,
            'job_name',
            '{{job_name}}',
          ).filter((_, i) => i !== 1),
        },
        {
          title: 'Time since last successful batch run',
          description:
            'Age of the last success of each batch; compare with its schedule (alert KenosBatchNotSucceeded).',
          unit: 's',
          queries: [
            [
              `time() - max by (job_name) (${M.jobLastSuccess}${sel(S, 'job_kind="batch"')})`,
              '{{job_name}}',
            ],
          ],
        },
      ],
    },
    queueRow(),
    {
      title: 'Runtime (saturation)',
      panels: [
        {
          title: 'Event-loop lag p50 / p99',
          description:
            'Event-loop delay per pod: how long a ready callback waits. Above ~100 ms every request waits too.',
          unit: 's',
          queries: [
            [
              `max by (pod, instance) (${M.eventLoopLagP99}${sel(S)})`,
              'p99 {{pod}} {{instance}}',
            ],
            [
              `max by (pod, instance) (${M.eventLoopLagP50}${sel(S)})`,
              'p50 {{pod}} {{instance}}',
            ],
          ],
        },
        {
          title: 'CPU (cores)',
          description: 'CPU time per second per pod (user + system).',
          unit: 'short',
          queries: [
            [
              `sum by (pod, instance) (rate(${M.cpuSeconds}${sel(S)}[${RI}]))`,
              '{{pod}} {{instance}}',
            ],
          ],
        },
        {
          title: 'Heap used / total',
          description: 'V8 heap per pod.',
          unit: 'bytes',
          queries: [
            [
              `sum by (pod, instance) (${M.heapUsed}${sel(S)})`,
              'used {{pod}} {{instance}}',
            ],
            [
              `sum by (pod, instance) (${M.heapTotal}${sel(S)})`,
              'total {{pod}} {{instance}}',
            ],
          ],
        },
        {
          title: 'Resident memory',
          description:
            'Process RSS per pod; compare with the container memory limit.',
          unit: 'bytes',
          queries: [
            [
              `sum by (pod, instance) (${M.residentMemory}${sel(S)})`,
              '{{pod}} {{instance}}',
            ],
          ],
        },
        {
          title: 'GC time per second',
          description:
            'Share of time spent in garbage collection, per pod and GC kind.',
          unit: 'percentunit',
          queries: [
            [
              `sum by (pod, instance, kind) (rate(${M.gcDuration}_sum${sel(S)}[${RI}]))`,
              '{{kind}} {{pod}} {{instance}}',
            ],
          ],
        },
        {
          title: 'Active handles',
          description:
            'Open sockets, timers and other libuv handles per pod; a steady climb is a leak.',
          unit: 'short',
          queries: [
            [
              `sum by (pod, instance) (${M.activeHandles}${sel(S)})`,
              '{{pod}} {{instance}}',
            ],
          ],
        },
      ],
    },
  ];
}

/**
 * Builds the one Kenos Grafana dashboard: request rate, error ratio and latency
 * quantiles by route and by RPC, outgoing calls by target, jobs, queues, and runtime
 * saturation (event-loop lag, CPU, heap), for any service chosen with the `service` variable.
 */
export function buildDashboard(
  options: DashboardOptions = {},
): GrafanaDashboard {
  const panels: DashboardPanel[] = [];
  let id = 1;
  let y = 0;
  for (const row of rowSpecs()) {
    panels.push({
      id: id++,
      type: 'row',
      title: row.title,
      collapsed: false,
      panels: [],
      gridPos: { x: 0, y, w: 24, h: 1 },
    });
    y += 1;
    const perLine = row.panels.length === 4 ? 2 : 3;
    const w =
      row.title === 'Overview'
        ? Math.floor(24 / row.panels.length)
        : 24 / perLine;
    const h = row.title === 'Overview' ? 5 : 8;
    row.panels.forEach((p, i) => {
      const col = row.title === 'Overview' ? i : i % perLine;
      const line = row.title === 'Overview' ? 0 : Math.floor(i / perLine);
      panels.push({
        id: id++,
        type: p.type ?? 'timeseries',
        title: p.title,
        description: p.description,
        datasource: DS,
        gridPos: {
          x: col * w,
          y: y + line * h,
          w:
            row.title === 'Overview' && i === row.panels.length - 1
              ? 24 - col * w
              : w,
          h,
        },
        fieldConfig: {
          defaults: {
            unit: p.unit,
            ...(p.unit === 'percentunit' || p.unit === 's' ? { min: 0 } : {}),
            ...(p.stacked
              ? {
                  custom: {
                    stacking: { mode: 'normal', group: 'A' },
                    fillOpacity: 30,
                  },
                }
              : {}),
          },
          overrides: [],
        },
        options: p.type === 'table' ? { showHeader: true } : {},
        targets: p.queries.map(([expr, legendFormat], k) => ({
          refId: String.fromCharCode(65 + k),
          expr,
          legendFormat,
          datasource: DS,
          ...(p.type === 'table' ? { instant: true, format: 'table' } : {}),
        })),
      });
    });
    const lines =
      row.title === 'Overview' ? 1 : Math.ceil(row.panels.length / perLine);
    y += lines * h;
  }
  const variable = (
    name: string,
    label: string,
    query: string,
    current?: string,
  ): Record<string, unknown> => ({
    name,
    label,
    type: 'query',
    datasource: DS,
    definition: query,
    query: { query, refId: `${name}-var` },
    refresh: 2,
    sort: 1,
    includeAll: name === 'namespace',
    multi: name === 'namespace',
    ...(name === 'namespace' ? { allValue: '.*' } : {}),
    current:
      current === undefined
        ? name === 'namespace'
          ? { text: 'All', value: '$__all' }
          : {}
        : { text: current, value: current },
  });
  return {
    uid: options.uid ?? 'kenos-service',
    title: options.title ?? 'Kenos service',
    tags: options.tags ?? ['kenos'],
    description:
      'RED metrics, dependencies, jobs, queues and runtime saturation of any Kenos service. Generated by @kenos/telemetry buildDashboard(); do not edit by hand.',
    editable: true,
    schemaVersion: 39,
    version: 1,
    timezone: 'browser',
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    graphTooltip: 1,
    annotations: { list: [] },
    templating: {
      list: [
        {
          name: 'datasource',
          label: 'Data source',
          type: 'datasource',
          query: 'prometheus',
          current: {},
        },
        variable(
          'namespace',
          'Namespace',
          `label_values(${M.buildInfo}, namespace)`,
        ),
        variable(
          'service',
          'Service',
          `label_values(${M.buildInfo}{namespace=~"$namespace"}, service)`,
          options.service,
        ),
      ],
    },
    panels,
  };
}

/** Every PromQL expression of a dashboard's panels, with the panel title (for tests and tooling). */
export function dashboardQueries(
  dashboard: GrafanaDashboard,
): { panel: string; expr: string }[] {
  return dashboard.panels.flatMap((p) =>
    (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })),
  );
}
