import type { KeyProvider } from '@kenos/crypto';
import type { HealthCheck } from '@kenos/lifecycle';
import type { KenosMetrics } from '@kenos/telemetry';
import type { ConfigSchema, ServiceConfig } from './service/config.js';
import type { ServiceLogger } from './service/logger.js';
import type {
  EnqueuedJob,
  EnqueueOptions,
  JobQueue,
} from './worker/job-queue.js';

/**
 * What handlers get instead of globals: the loaded config, loggers and the
 * component's lifecycle hooks.
 */
export interface ServiceContext<S extends ConfigSchema = ConfigSchema> {
  /** Service name and version: as declared, the version else from the package.json at `root` (else `0.0.0`). */
  readonly service: { readonly name: string; readonly version: string };
  /**
   * The absolute package root directory: the nearest directory at or above the definition's `root`
   * that holds a package.json; without `root`, the absolute `configDir`, else `process.cwd()`. Resolve
   * the service's own files against it (`path.join(context.root, 'proto', …)`).
   */
  readonly root: string;
  /** The component this process runs: `api`, `worker:<name>` or `batch:<name>`. */
  readonly component: string;
  /** Loaded, validated config: the standard settings plus the service schema's keys. */
  readonly config: ServiceConfig<S>;
  /** The component's root logger. */
  readonly logger: ServiceLogger;
  /** The logger of the current request, call or job (AsyncLocalStorage), else the root logger. */
  getLogger(): ServiceLogger;
  /**
   * The prom-client `Registry` that the admin port's `/metrics` serves: register the service's own
   * metrics here (`new Counter({ name, help, registers: [metricsRegistry] })`). Its default label
   * `service` is added to every series.
   */
  readonly metricsRegistry: KenosMetrics['registry'];
  /**
   * The process's key provider for `@kenos/crypto` envelopes, made on first call from the `keys.*`
   * settings (`local`: `keys.localKeyFile` relative to `configDir`, else the package root; `aws`: KMS `keys.kmsKeyId`,
   * `keys.kmsEndpoint`) and closed at shutdown.
   */
  getKeyProvider(): KeyProvider;
  /**
   * Registers a health check (`{ name, check(signal), critical?, timeoutMs?, intervalMs? }` of
   * `@kenos/lifecycle`): shown in `/health`; a failing critical check turns `/ready` and gRPC health
   * NOT_SERVING until it passes again. Ignored by batches (they have no probes).
   */
  registerHealthCheck(check: HealthCheck): void;
  /**
   * The process's job queue, made once by the definition's `queue` factory before the REST, gRPC,
   * worker and batch factories run; `undefined` without one (or inside the `queue` factory itself).
   */
  readonly queue: JobQueue | undefined;
  /**
   * Adds a job to queue `name` (run by the component `worker:<name>` whose source is
   * `queue.source(name)`); resolves with its id once the queue stored it. The job carries its
   * origin: the request id of the request, call or job being served (`currentCallScope()`), the W3C
   * `traceparent`/`tracestate` of the active span (the job's span becomes its child, so its log lines
   * carry the request's `trace_id`), and the time. Rejects with `ValidationError` for a `name` that
   * is not 1+ of `A-Z a-z 0-9 . _ : -`, an `id` that is not 1–128 characters, a `delayMs` below 0 or
   * an `attempts` that is no integer ≥ 1; with `UnavailableError` (503 / UNAVAILABLE) when no queue is
   * configured (set `queue.url`, `REDIS_URL`) or the engine is unreachable.
   */
  enqueue<T>(
    name: string,
    payload: T,
    options?: EnqueueOptions,
  ): Promise<EnqueuedJob>;
  /** Registers work to run at shutdown, after the transports drained (reverse order of registration). */
  onShutdown(
    name: string,
    run: () => Promise<void> | void,
    timeoutMs?: number,
  ): void;
}
