import type { KeyProvider } from '@kenos/crypto';
import type { HealthCheck } from '@kenos/lifecycle';
import type { KenosMetrics } from '@kenos/telemetry';
import type { ConfigSchema, ServiceConfig } from './service/config.js';
import type { ServiceLogger } from './service/logger.js';

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
  /** Registers work to run at shutdown, after the transports drained (reverse order of registration). */
  onShutdown(
    name: string,
    run: () => Promise<void> | void,
    timeoutMs?: number,
  ): void;
}
