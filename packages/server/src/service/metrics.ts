import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  createMetrics,
  instrumentHttpRequest,
  startRpcServerCall,
  setProcessMetrics,
  shutdownTracing,
  startTracing,
  type KenosMetrics,
  type TelemetryLogger,
} from '@kenos/telemetry';

export { instrumentHttpRequest, startRpcServerCall };

/** The metrics seam: RED metrics of HTTP requests, gRPC calls and jobs, on `@kenos/telemetry`. */
export interface MetricsSeam {
  observeHttpRequest: KenosMetrics['observeHttpRequest'];
  observeRpcCall: KenosMetrics['observeRpcCall'];
  /** Marks a job started; call the result with its outcome when it ends. */
  startJob(
    kind: 'worker' | 'batch',
    name: string,
  ): (result: 'success' | 'failure' | 'cancelled') => void;
  /** Records the time from enqueue to the start of a worker job. */
  observeJobQueueLatency: KenosMetrics['observeJobQueueLatency'];
  /** Serves the Prometheus text format on the admin port. */
  metricsHandler(req: IncomingMessage, res: ServerResponse): void;
  /** The prom-client registry `/metrics` serves: the Kenos metrics and the service's own. */
  readonly registry: KenosMetrics['registry'];
}

/**
 * Creates the metrics seam and starts tracing (exported only when OTLP is configured). The metrics
 * become the process's (`getProcessMetrics()` of `@kenos/telemetry`), so that clients and queue
 * adapters record into the registry `/metrics` serves.
 */
export function createTelemetrySeam(options: {
  service: string;
  version: string;
  environment: string;
  env: NodeJS.ProcessEnv;
  logger: TelemetryLogger;
}): { metrics: MetricsSeam; shutdown: () => Promise<void> } {
  const m = createMetrics({
    service: options.service,
    version: options.version,
  });
  setProcessMetrics(m);
  startTracing({
    serviceName: options.service,
    serviceVersion: options.version,
    environment: options.environment,
    env: options.env,
    logger: options.logger,
  });
  return {
    metrics: {
      observeHttpRequest: (o) => m.observeHttpRequest(o),
      observeRpcCall: (o) => m.observeRpcCall(o),
      observeJobQueueLatency: (name, seconds) =>
        m.observeJobQueueLatency(name, seconds),
      startJob: (kind, name) => {
        const end = m.startJob(kind, name);
        return (result) => void end(result);
      },
      metricsHandler: (req, res) => void m.metricsHandler(req, res),
      registry: m.registry,
    },
    shutdown: () => shutdownTracing(),
  };
}
