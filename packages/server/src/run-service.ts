import module from 'node:module';
import { resolve } from 'node:path';
import { runBatch } from './batch/run-batch.js';
import type { ServiceContext } from './context.js';
import { listComponents, type ServiceDefinition } from './define-service.js';
import { ServerError } from './server-error.js';
import {
  createLifecycle,
  type HealthCheck,
  type Lifecycle,
} from '@kenos/lifecycle';
import {
  ConfigProblems,
  EX_CONFIG,
  loadServiceConfig,
  standardSettings,
  type ConfigSchema,
  type ConfigWarning,
  type ServiceConfig,
} from './service/config.js';
import { adminLifecycleOptions, mountAdminRoutes } from './service/admin.js';
import {
  readOpenFilesLimit,
  resolveConnectionCaps,
} from './service/connection-limits.js';
import { createKeysSeam, type KeysSeam } from './service/keys.js';
import { findPackageRoot } from './service/package-root.js';
import { openQueue } from './service/queue.js';
import { createEnqueue } from './worker/enqueue.js';
import type { JobQueue } from './worker/job-queue.js';
import { createLoggingSeam, type LoggingSeam } from './service/logger.js';
import { createTelemetrySeam, type MetricsSeam } from './service/metrics.js';
import type { Transport } from './transport.js';

/** Exit codes of a Kenos process. */
export const ExitCode = {
  OK: 0,
  FAILURE: 1,
  /** Unknown component on the command line (EX_USAGE). */
  USAGE: 64,
  /** Invalid config, or no package.json above the definition's `root` (EX_CONFIG). */
  CONFIG: EX_CONFIG,
} as const;

/** Options of {@link runService}, for tests and embedding. */
export interface RunServiceOptions {
  /** Environment to read config from. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Called with the exit code at the end. Default `process.exit`. */
  exit?: (code: number) => void;
}

interface Seams<S extends ConfigSchema> {
  logging: LoggingSeam;
  metrics: MetricsSeam;
  context: ServiceContext<S>;
  hooks: {
    name: string;
    run: () => Promise<void> | void;
    timeoutMs?: number;
  }[];
  health: { pending: HealthCheck[]; sink?: (check: HealthCheck) => void };
  keys: KeysSeam;
  telemetryShutdown: () => Promise<void>;
}

function fatalLine(
  service: { name: string; version: string },
  component: string,
  fields: Record<string, unknown>,
  msg: string,
): void {
  process.stdout.write(
    JSON.stringify({
      level: 'fatal',
      time: new Date().toISOString(),
      service: service.name,
      version: service.version,
      component,
      ...fields,
      msg,
    }) + '\n',
  );
}

/** Enables Node's on-disk compile cache; never throws (a no-op where it is missing or already on). */
function enableCompileCache(): void {
  try {
    module.enableCompileCache?.();
  } catch {
    // no writable directory, or an embedder without the API: start without the cache
  }
}

/** The service's package root and version: from `root`, else `configDir` / the cwd and `0.0.0`. */
function resolveIdentity(
  service: Pick<ServiceDefinition, 'name' | 'version' | 'root' | 'configDir'>,
): {
  name: string;
  version: string;
  root: string;
} {
  if (service.root === undefined)
    return {
      name: service.name,
      version: service.version ?? '0.0.0',
      root: resolve(service.configDir ?? process.cwd()),
    };
  const found = findPackageRoot(service.root);
  return {
    name: service.name,
    version: service.version ?? found.version ?? '0.0.0',
    root: found.dir,
  };
}

/**
 * Runs the component named by `argv[0]` (`api` — the default —, `worker:<name>`
 * or `batch:<name>`) until it ends, then exits the process: 0 after a clean
 * shutdown or a successful batch, 1 on failure, 64 for an unknown component,
 * 78 for invalid config or no package.json above the definition's `root`
 * (`KENOS_ERR_SERVER_NO_PACKAGE_ROOT`).
 *
 * First it enables Node's on-disk compile cache (`module.enableCompileCache()` of `node:module`,
 * in `NODE_COMPILE_CACHE` or `os.tmpdir()/node-compile-cache`), so the modules it loads later (express,
 * grpc-js, the transports) are compiled once per host and version. It never throws: without a writable
 * directory it does nothing, and it is a no-op when `NODE_COMPILE_CACHE` already enabled the cache.
 * Modules loaded before `runService` (the service's own, imported statically by the entry point) are
 * only cached if the entry point enables the cache itself before importing them.
 */
export async function runService<S extends ConfigSchema>(
  service: ServiceDefinition<S>,
  argv: string[] = process.argv.slice(2),
  options: RunServiceOptions = {},
): Promise<void> {
  enableCompileCache();
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const env = options.env ?? process.env;
  const component = argv[0] ?? 'api';
  let identity: ReturnType<typeof resolveIdentity>;
  try {
    identity = resolveIdentity(service);
  } catch (err) {
    if (!(err instanceof ServerError)) throw err;
    fatalLine(
      { name: service.name, version: service.version ?? '0.0.0' },
      component,
      { code: err.code, root: String(service.root) },
      err.message,
    );
    return exit(ExitCode.CONFIG);
  }
  const { version, root } = identity;
  // config/ and the relative key file: configDir wins over the package root
  const configDir = service.configDir ?? root;
  const components = listComponents(service);
  if (!components.includes(component)) {
    fatalLine(
      identity,
      component,
      { code: 'KENOS_ERR_SERVER_UNKNOWN_COMPONENT', components },
      `unknown component "${component}"; this service offers: ${components.join(', ')}`,
    );
    return exit(ExitCode.USAGE);
  }

  let config: ServiceConfig<S>;
  // sensitive values the logger cannot scrub well: logged once the logger exists, naming the key
  const configWarnings: ConfigWarning[] = [];
  try {
    config = await loadServiceConfig((service.config ?? {}) as S, {
      env: {
        SERVICE_NAME: service.name,
        SERVICE_VERSION: version,
        ...env,
      },
      cwd: configDir,
      argv: argv.slice(1),
      onWarning: (warning) => void configWarnings.push(warning),
    });
  } catch (err) {
    if (err instanceof ConfigProblems) {
      fatalLine(
        identity,
        component,
        { code: 'KENOS_ERR_CONFIG_INVALID', problems: err.problems },
        `invalid config (${err.problems.length} problem${err.problems.length === 1 ? '' : 's'}): ${err.problems.join('; ')}`,
      );
      return exit(ExitCode.CONFIG);
    }
    throw err;
  }
  const std = standardSettings(config);
  const logging = createLoggingSeam({
    service: service.name,
    version,
    env: std.env,
    component,
    level: std.log.level,
    format: std.log.format,
  });
  const logger = logging.root;
  const telemetry = createTelemetrySeam({
    service: service.name,
    version,
    environment: std.env,
    env,
    logger,
  });
  const metrics = telemetry.metrics;
  const hooks: Seams<S>['hooks'] = [];
  const health: Seams<S>['health'] = { pending: [] };
  const keys = createKeysSeam(std.keys, configDir);
  let queue: JobQueue | undefined;
  const context: ServiceContext<S> = {
    service: { name: service.name, version },
    root,
    component,
    config,
    logger,
    getLogger: () => logging.current(),
    metricsRegistry: metrics.registry,
    getKeyProvider: () => keys.get(),
    get queue() {
      return queue;
    },
    enqueue: createEnqueue(() => queue),
    registerHealthCheck: (check) =>
      health.sink ? health.sink(check) : void health.pending.push(check),
    onShutdown: (name, run, timeoutMs) =>
      void hooks.push({
        name,
        run,
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
      }),
  };
  logger.info(
    { config: config.toJSON(), node: process.version, pid: process.pid },
    'starting',
  );
  for (const w of configWarnings)
    logger.warn({ code: w.code, key: w.key, source: w.source }, w.message);
  try {
    // before every other factory, which find it as context.queue
    queue = await openQueue(service.queue, context);
  } catch (err) {
    logger.fatal(
      { err, code: (err as { code?: unknown }).code },
      `service setup failed: the queue factory threw: ${(err as Error).message}`,
    );
    await logging.flush();
    return exit(ExitCode.FAILURE);
  }
  const seams: Seams<S> = {
    logging,
    metrics,
    context,
    hooks,
    health,
    keys,
    telemetryShutdown: telemetry.shutdown,
  };

  if (component.startsWith('batch:'))
    return runBatchComponent(
      service,
      component.slice('batch:'.length),
      seams,
      exit,
    );
  return runLongLived(service, component, seams, exit);
}

function runBatchComponent<S extends ConfigSchema>(
  service: ServiceDefinition<S>,
  name: string,
  {
    logging,
    metrics,
    context,
    hooks,
    health,
    keys,
    telemetryShutdown,
  }: Seams<S>,
  exit: (code: number) => void,
): Promise<void> {
  const fn = service.batches?.[name];
  if (!fn)
    throw new ServerError(
      'KENOS_ERR_SERVER_UNKNOWN_COMPONENT',
      `no batch ${name}`,
    );
  return runBatch({
    name,
    run: (batch) => fn(context, batch),
    settings: standardSettings(context.config),
    logging,
    metrics,
    keys,
    hooks,
    health,
    telemetryShutdown,
    exit,
  });
}

function describeStartError(
  err: unknown,
  ports: Record<string, { port: number; env: string }>,
  transport: string,
): string {
  const message = err instanceof Error ? err.message : String(err);
  const p = ports[transport];
  if (
    /EADDRINUSE/.test(message) ||
    (err as { code?: string }).code === 'EADDRINUSE'
  ) {
    return p
      ? `${transport} port ${p.port} (${p.env}) is already in use`
      : `${transport}: address already in use`;
  }
  return `${transport} failed to start: ${message}`;
}

async function runLongLived<S extends ConfigSchema>(
  service: ServiceDefinition<S>,
  component: string,
  {
    logging,
    metrics,
    context,
    hooks,
    health,
    keys,
    telemetryShutdown,
  }: Seams<S>,
  exit: (code: number) => void,
): Promise<void> {
  const config = standardSettings(context.config);
  const logger = logging.root;
  // a worker whose in-flight jobs had to be aborted at the deadline did not shut down cleanly
  let jobsAborted = false;
  const finalExit = (code: number): void =>
    exit(code === 0 && jobsAborted ? ExitCode.FAILURE : code);
  // SIGTERM / SIGINT, a second signal, uncaught exceptions and unhandled rejections are the lifecycle's
  const lifecycle: Lifecycle = createLifecycle({
    logger,
    ...adminLifecycleOptions(config),
    shutdownDelayMs: component === 'api' ? config.shutdown.delayMs : 0,
    shutdownTimeoutMs: config.shutdown.timeoutMs,
    // drainers (transports, workers) are aborted a little before the hard deadline, so an aborted
    // job can still be handed back to its source and logged before the process exits
    drainTimeoutMs:
      config.shutdown.timeoutMs -
      Math.min(1000, Math.floor(config.shutdown.timeoutMs / 5)),
    exit: finalExit,
  });
  for (const check of health.pending.splice(0))
    lifecycle.registerHealthCheck(check);
  health.sink = (check) => lifecycle.registerHealthCheck(check);
  mountAdminRoutes(lifecycle, metrics, logger);
  lifecycle.registerFlusher({ name: 'telemetry', flush: telemetryShutdown });
  lifecycle.registerFlusher({ name: 'logs', flush: () => logging.flush() });

  const transports: Transport[] = [];
  const ports: Record<string, { port: number; env: string }> = {
    admin: { port: config.admin.port, env: 'ADMIN_PORT' },
  };
  let setGrpcServing: ((serving: boolean) => void) | undefined;
  try {
    if (component === 'api') {
      // 0 = a share of the descriptor limit, so a connection flood leaves room for the admin server (probes)
      const caps = resolveConnectionCaps(
        { http: config.http.maxConnections, grpc: config.grpc.maxConnections },
        { http: !!service.rest, grpc: !!service.grpc },
        readOpenFilesLimit(),
      );
      const maxConnections = { http: caps.http, grpc: caps.grpc };
      logger.info(
        {
          max_connections: maxConnections,
          open_files_limit: caps.openFilesLimit ?? 'unknown',
        },
        'connection caps',
      );
      if (caps.budget !== undefined && caps.http + caps.grpc > caps.budget) {
        logger.warn(
          {
            code: 'KENOS_ERR_SERVER_CONNECTION_LIMIT',
            max_connections: maxConnections,
            open_files_limit: caps.openFilesLimit,
          },
          `connection caps (http ${caps.http} + grpc ${caps.grpc}) exceed the ${caps.budget} descriptors the open-files limit ${caps.openFilesLimit} leaves them: a connection flood can starve the admin server; lower HTTP_MAX_CONNECTIONS / GRPC_MAX_CONNECTIONS or raise the limit`,
        );
      }
      // load express and grpc-js in parallel, and only what the service uses
      const [http, grpc] = await Promise.all([
        service.rest ? import('./http/http-transport.js') : undefined,
        service.grpc ? import('./grpc/grpc-transport.js') : undefined,
      ]);
      if (service.rest && http) {
        const rest = service.rest;
        transports.push(
          http.createHttpTransport({
            ...service.restOptions,
            port: config.http.port,
            maxConnections: maxConnections.http,
            routes: (router) => rest(router, context),
            ...(service.mapError ? { mapError: service.mapError } : {}),
            logging,
            metrics,
          }),
        );
        ports['http'] = { port: config.http.port, env: 'HTTP_PORT' };
      }
      if (service.grpc && grpc) {
        const grpcTransport = grpc.createGrpcTransport({
          port: config.grpc.port,
          maxConnections: maxConnections.grpc,
          services: await service.grpc(context),
          root: context.root,
          ...(service.mapError ? { mapError: service.mapError } : {}),
          logging,
          metrics,
        });
        setGrpcServing = (serving) => grpcTransport.setServing(serving);
        transports.push(grpcTransport);
        ports['grpc'] = { port: config.grpc.port, env: 'GRPC_PORT' };
      }
    } else {
      const name = component.slice('worker:'.length);
      const factory = service.workers?.[name];
      if (!factory)
        throw new ServerError(
          'KENOS_ERR_SERVER_UNKNOWN_COMPONENT',
          `no worker ${name}`,
        );
      const spec = await factory(context);
      const { createWorkerTransport } = await import(
        './worker/worker-transport.js'
      );
      transports.push(
        createWorkerTransport({
          name: component,
          ...spec,
          logging,
          metrics,
          onJobsAborted: () => {
            jobsAborted = true;
          },
        }),
      );
    }
  } catch (err) {
    logger.fatal(
      { err, code: (err as { code?: unknown }).code },
      `service setup failed: ${(err as Error).message}`,
    );
    await logging.flush();
    return exit(ExitCode.FAILURE);
  }

  const bound: Record<string, number> = {};
  let current = 'admin';
  try {
    bound['admin'] = await lifecycle.start();
    for (const t of transports) {
      current = t.name;
      await t.start();
      const port = (t as Partial<{ port: number }>).port;
      if (port !== undefined) bound[t.name] = port;
    }
  } catch (err) {
    logger.fatal(
      { err, code: 'KENOS_ERR_SERVER_START' },
      describeStartError(err, ports, current),
    );
    await logging.flush();
    return exit(ExitCode.FAILURE);
  }
  for (const t of transports)
    lifecycle.registerDrainer({
      name: t.name,
      drain: (signal) => t.stop(signal),
    });
  // hooks run in reverse order of registration: the service's own hooks first, the key provider last
  lifecycle.registerShutdownHook({
    name: 'key-provider',
    run: () => keys.close(),
  });
  for (const h of hooks) lifecycle.registerShutdownHook(h);
  // From the first moment of shutdown (readiness false, before the delay), clients pinned to this process are told
  // to move while it still serves: HTTP `Connection: close`, HTTP/2 GOAWAY (see Transport.prepareStop)
  let stopPrepared = false;
  const prepareStop = (): void => {
    if (stopPrepared) return;
    stopPrepared = true;
    for (const t of transports) {
      try {
        t.prepareStop?.();
      } catch (err) {
        logger.error(
          { err, transport: t.name },
          `${t.name}: prepareStop threw; its clients learn to move only when it stops`,
        );
      }
    }
  };
  lifecycle.onStateChange((state) => {
    setGrpcServing?.(lifecycle.isReady());
    if (state === 'shutting_down') prepareStop();
  });
  if (lifecycle.state === 'shutting_down') prepareStop();
  lifecycle.signalReady();
  logger.info(
    { ports: bound, startup_ms: Math.round(process.uptime() * 1000) },
    'service ready',
  );
}
