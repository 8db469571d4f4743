/** Options of {@link buildPodMonitor}. */
export interface PodMonitorOptions {
  /** Restrict to the pods of one service (pod label `app.kubernetes.io/name`). Default every Kenos pod. */
  service?: string;
  /** PodMonitor name. Default `'<service>'`, or `'kenos-services'` without a service. */
  name?: string;
  /** Namespace of the PodMonitor itself. Default none (the namespace it is applied in). */
  namespace?: string;
  /** Pod label every Kenos workload carries, selecting what is scraped. Default `{ 'kenos.dev/scrape': 'true' }`. */
  matchLabels?: Record<string, string>;
  /** Name of the admin container port (ADMIN_PORT, 9000). Default `'admin'`. */
  portName?: string;
  /** Scrape interval. Default `'15s'`. */
  interval?: string;
  /** Scrape timeout. Default `'10s'`. */
  scrapeTimeout?: string;
  /** Labels of the PodMonitor object, e.g. the `release` your Prometheus Operator selects on. Default `{ 'app.kubernetes.io/part-of': 'kenos' }`. */
  labels?: Record<string, string>;
}

/** A Prometheus Operator PodMonitor manifest. */
export interface PodMonitorManifest {
  apiVersion: 'monitoring.coreos.com/v1';
  kind: 'PodMonitor';
  metadata: {
    name: string;
    namespace?: string;
    labels: Record<string, string>;
  };
  spec: {
    namespaceSelector: { any: true };
    selector: { matchLabels: Record<string, string> };
    podMetricsEndpoints: {
      port: string;
      path: string;
      interval: string;
      scrapeTimeout: string;
      honorLabels: boolean;
      relabelings: {
        action?: string;
        sourceLabels?: string[];
        targetLabel?: string;
        regex?: string;
      }[];
    }[];
  };
}

/**
 * Builds the PodMonitor that scrapes `/metrics` on the admin port of Kenos pods. A
 * PodMonitor (not a ServiceMonitor) because the admin port is never exposed through the
 * Service. The `service` label comes from the pod label `app.kubernetes.io/name` and
 * `component` from `app.kubernetes.io/component`; `honorLabels` keeps the `service` label
 * the process sets itself.
 */
export function buildPodMonitor(
  options: PodMonitorOptions = {},
): PodMonitorManifest {
  const matchLabels = {
    ...(options.matchLabels ?? { 'kenos.dev/scrape': 'true' }),
  };
  if (options.service !== undefined)
    matchLabels['app.kubernetes.io/name'] = options.service;
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: {
      name: options.name ?? options.service ?? 'kenos-services',
      ...(options.namespace === undefined
        ? {}
        : { namespace: options.namespace }),
      labels: options.labels ?? { 'app.kubernetes.io/part-of': 'kenos' },
    },
    spec: {
      namespaceSelector: { any: true },
      selector: { matchLabels },
      podMetricsEndpoints: [
        {
          port: options.portName ?? 'admin',
          path: '/metrics',
          interval: options.interval ?? '15s',
          scrapeTimeout: options.scrapeTimeout ?? '10s',
          honorLabels: true,
          relabelings: [
            {
              sourceLabels: [
                '__meta_kubernetes_pod_label_app_kubernetes_io_name',
              ],
              targetLabel: 'service',
            },
            {
              sourceLabels: [
                '__meta_kubernetes_pod_label_app_kubernetes_io_component',
              ],
              targetLabel: 'component',
            },
          ],
        },
      ],
    },
  };
}
