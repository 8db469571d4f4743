import type { Router } from 'express';
import type { ServiceContext } from './context.js';
import type { GrpcServiceRegistration } from './grpc/grpc-transport.js';
import type { ConfigSchema } from './service/config.js';
import type { JobQueue } from './worker/job-queue.js';
import type { Job, JobSource } from './worker/job-source.js';
import type { JobContext } from './worker/worker-transport.js';

/** The express 5 router a service mounts its REST routes on. */
export type RestRouter = Router;

/** A worker: where its jobs come from and what to do with each. */
export interface WorkerSpec<T> {
  source: JobSource<T>;
  /** Handles one job; throw to fail it. Observe `context.signal` (aborted at the shutdown deadline). */
  handle(job: Job<T>, context: JobContext): Promise<void>;
  /** Jobs run at the same time. Default `1`. */
  concurrency?: number;
}

/** What a batch job gets besides the service context. */
export interface BatchContext {
  /** Aborted on SIGTERM / SIGINT: stop and throw; the process then exits 1. */
  readonly signal: AbortSignal;
  /** The batch-scoped logger. */
  readonly logger: JobContext['logger'];
}

/** HTTP settings of the REST transport; every one has a default. */
export interface RestOptions {
  /** Largest accepted JSON body (413 beyond). Default `'1mb'`. */
  jsonLimit?: string | number;
  /** Default `65000` ms (above common load-balancer idle timeouts of 60 s). */
  keepAliveTimeoutMs?: number;
  /** Default `66000` ms (above `keepAliveTimeoutMs`). */
  headersTimeoutMs?: number;
  /** Time to receive a whole request. Default `30000` ms. */
  requestTimeoutMs?: number;
  /** A handler that has not answered after this long gets a 503 problem (`KENOS_ERR_SERVER_TIMEOUT`). Default `30000` ms; 0 disables. */
  handlerTimeoutMs?: number;
}

/** Everything a service declares; `runService` runs the component the command line names. */
export interface ServiceDefinition<S extends ConfigSchema = ConfigSchema> {
  /** Service name (logs, metrics, `service.name`). */
  name: string;
  /**
   * Service version (logs, `kenos_build_info`, `SERVICE_VERSION`). Default the `version` of the
   * package.json at `root`; `0.0.0` without root.
   */
  version?: string;
  /**
   * Where the service's package is: pass `import.meta.url` of any module of the service (a `file:`
   * URL or a path inside the package also works). Kenos walks up from there to the nearest directory
   * holding a package.json: the package root, which holds `config/`, `proto/` and the relative
   * `keys.localKeyFile`. It is right both for the compiled modules in `dist/` and for a single-file
   * bundle at the top of `dist/`. No package.json up to the filesystem root: `runService` exits 78
   * with `KENOS_ERR_SERVER_NO_PACKAGE_ROOT`. Default `configDir`, else `process.cwd()`.
   */
  root?: string | URL;
  /** The service's own config schema (`defineConfigSchema` of `@kenos/config`); the standard settings are merged in. */
  config?: S;
  /**
   * Directory holding `config/` (default.*, <env>.*, <env>.secrets.*) and the relative
   * `keys.localKeyFile`; wins over `root` for both. Default the package root of `root`, else
   * `process.cwd()`.
   */
  configDir?: string;
  /**
   * Turns an error a REST route or gRPC method threw into the error the transport answers with, e.g.
   * a domain error into `ValidationError` (400 problem+json / INVALID_ARGUMENT). Called once per
   * failed request or call, before the error is classified and logged; return the error unchanged to
   * keep the default mapping. Not called for the errors Kenos raises itself (malformed path or body,
   * undecodable message, timeouts) nor for workers and batches. If it throws, that is logged at error
   * and the original error is answered 500 / INTERNAL. Default `(err) => err` (the identity).
   */
  mapError?: (err: unknown) => unknown;
  /**
   * Makes the process's job queue (e.g. the BullMQ adapter of `@kenos/jobs` on `config.queue.url`),
   * or `undefined` for none. Called once per process, by every component, after the config is loaded
   * and before the `rest`, `grpc`, worker and batch factories, which then find it as
   * `context.queue` (and `context.enqueue` uses it). Its `healthCheck()` is registered: critical for
   * `worker:*` components (a worker whose queue is unreachable is not ready), not critical for the
   * `api` (shown in `/health` only: its enqueue fails fast with 503 instead). Its `close()` runs at
   * shutdown after the transports stopped, as the last of the service's shutdown hooks. A throw
   * ends the process before it reports ready (exit 1). Default none: `context.queue` is
   * `undefined` and `context.enqueue` rejects with `UnavailableError`.
   */
  queue?: (
    context: ServiceContext<S>,
  ) => JobQueue | undefined | Promise<JobQueue | undefined>;
  /** Mounts REST routes on an express 5 router (served by the `api` component). */
  rest?: (
    router: RestRouter,
    context: ServiceContext<S>,
  ) => void | Promise<void>;
  /** REST transport settings. */
  restOptions?: RestOptions;
  /** gRPC services (served by the `api` component). */
  grpc?: (
    context: ServiceContext<S>,
  ) => GrpcServiceRegistration[] | Promise<GrpcServiceRegistration[]>;
  /** Workers by name, each run as component `worker:<name>`. */
  workers?: Record<
    string,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    (context: ServiceContext<S>) => WorkerSpec<any> | Promise<WorkerSpec<any>>
  >;
  /** Batch jobs by name, each run as component `batch:<name>`: resolve = exit 0, throw = exit 1. */
  batches?: Record<
    string,
    (context: ServiceContext<S>, batch: BatchContext) => Promise<void>
  >;
}

/** Declares a service; returns the definition unchanged, typed. */
export function defineService<
  const S extends ConfigSchema = Record<never, never>,
>(definition: ServiceDefinition<S>): ServiceDefinition<S> {
  return definition;
}

/** The components a service definition offers (`api`, `worker:<name>`, `batch:<name>`). */
export function listComponents<S extends ConfigSchema>(
  definition: ServiceDefinition<S>,
): string[] {
  const out: string[] = [];
  if (definition.rest || definition.grpc) out.push('api');
  for (const name of Object.keys(definition.workers ?? {}))
    out.push(`worker:${name}`);
  for (const name of Object.keys(definition.batches ?? {}))
    out.push(`batch:${name}`);
  return out;
}
