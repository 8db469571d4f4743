import {
  describeOutput,
  ServiceNotReadyError,
  TestingError,
} from './testing-error.js';
import {
  spawnNode,
  type ExitInfo,
  type NodeProcess,
  type StopAllOptions,
} from './process/spawn-node.js';

/** The ports a service reported in its `service ready` log line (`ports: { http, grpc, admin }`). */
export interface ServicePorts {
  /** The HTTP (REST) port, for {@link ServiceProcess.url}. */
  http?: number;
  /** The gRPC port, for {@link ServiceProcess.grpcAddress}. */
  grpc?: number;
  /** The admin port (`/live`, `/ready`, `/metrics`), for {@link ServiceProcess.adminUrl}. */
  admin?: number;
}

/** Options of {@link startService} and {@link spawnService}. */
export interface ServiceOptions {
  /**
   * Environment variables of the child, merged over `process.env` and the
   * defaults `HTTP_PORT=0`, `GRPC_PORT=0`, `ADMIN_PORT=0` (ephemeral ports) and
   * `LOG_LEVEL=info`. Default `{}`.
   */
  env?: Record<string, string>;
  /** Extra command-line arguments, after the component. Default `[]`. */
  args?: string[];
  /**
   * How long {@link startService} waits for the `service ready` line before it
   * kills the process and rejects. Ignored by {@link spawnService}. Default `20000`.
   */
  readyTimeoutMs?: number;
  /** Working directory of the child. Default `process.cwd()`. */
  cwd?: string;
}

/** A Kenos service running as a real child process (`node <entry> <component> ...args`). */
export interface ServiceProcess extends NodeProcess {
  /** Ports from the `service ready` line; empty until that line was logged. */
  readonly ports: Readonly<ServicePorts>;
  /** `http://127.0.0.1:<http port><path>`; throws `KENOS_ERR_TESTING_NO_PORT` without an HTTP port. Default path `/`. */
  url(path?: string): string;
  /** `http://127.0.0.1:<admin port><path>`; throws `KENOS_ERR_TESTING_NO_PORT` without an admin port. Default path `/`. */
  adminUrl(path?: string): string;
  /** `127.0.0.1:<grpc port>`, the address for a gRPC client; throws `KENOS_ERR_TESTING_NO_PORT` without a gRPC port. */
  grpcAddress(): string;
}

const DEFAULT_ENV: Readonly<Record<string, string>> = {
  HTTP_PORT: '0',
  GRPC_PORT: '0',
  ADMIN_PORT: '0',
  LOG_LEVEL: 'info',
};
const DEFAULT_READY_TIMEOUT_MS = 20_000;
const DEFAULT_STOP_TIMEOUT_MS = 10_000;
const READY_MSG = 'service ready';

/** Services started by this module and not yet exited: the only ones stopAllServices touches. */
const running = new Set<ServiceProcess>();

function resolveOptions(options: ServiceOptions): Required<ServiceOptions> {
  return {
    env: options.env ?? {},
    args: options.args ?? [],
    readyTimeoutMs: options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS,
    cwd: options.cwd ?? process.cwd(),
  };
}

function hostUrl(port: number | undefined, name: string, path: string): string {
  if (port === undefined)
    throw new TestingError(
      'KENOS_ERR_TESTING_NO_PORT',
      `the service reported no ${name} port (is it ready, and does its component serve ${name}?)`,
    );
  return `http://127.0.0.1:${port}${path.startsWith('/') ? path : `/${path}`}`;
}

/**
 * Spawns `node <entry> <component> ...args` with {@link spawnNode}, ephemeral
 * ports and `LOG_LEVEL=info`, and returns at once, without waiting for
 * `service ready`: for batch components and for services that are expected to
 * fail at startup.
 */
export function spawnService(
  entry: string,
  component: string,
  options: ServiceOptions = {},
): ServiceProcess {
  const opts = resolveOptions(options);
  const ports: ServicePorts = {};
  const readPorts = (line: Record<string, unknown>): void => {
    if (
      line['msg'] === READY_MSG &&
      typeof line['ports'] === 'object' &&
      line['ports'] !== null
    ) {
      for (const [name, port] of Object.entries(line['ports']))
        if (typeof port === 'number')
          (ports as Record<string, number>)[name] = port;
    }
  };
  const proc = spawnNode(entry, [component, ...opts.args], {
    cwd: opts.cwd,
    env: { ...DEFAULT_ENV, ...opts.env },
    onLine: readPorts,
  });
  const service: ServiceProcess = Object.assign(
    Object.defineProperties(
      {},
      Object.getOwnPropertyDescriptors(proc),
    ) as NodeProcess,
    {
      ports,
      url: (path = '/') => hostUrl(ports.http, 'http', path),
      adminUrl: (path = '/') => hostUrl(ports.admin, 'admin', path),
      grpcAddress() {
        if (ports.grpc === undefined)
          throw new TestingError(
            'KENOS_ERR_TESTING_NO_PORT',
            'the service reported no grpc port (is it ready, and does its component serve gRPC?)',
          );
        return `127.0.0.1:${ports.grpc}`;
      },
    },
  );
  running.add(service);
  void proc.exited.then(() => running.delete(service));
  return service;
}

/**
 * Spawns the service like {@link spawnService} and resolves once it logged
 * `"msg":"service ready"` (its `ports` are then set). Rejects with
 * {@link ServiceNotReadyError} (`KENOS_ERR_TESTING_NOT_READY`) when the process
 * exits first, or after `readyTimeoutMs` (the process is then killed).
 */
export async function startService(
  entry: string,
  component: string,
  options: ServiceOptions = {},
): Promise<ServiceProcess> {
  const { readyTimeoutMs } = resolveOptions(options);
  const service = spawnService(entry, component, options);
  try {
    await service.waitForLine(READY_MSG, readyTimeoutMs);
    return service;
  } catch (err) {
    const exit = service.exitInfo;
    if (!exit) await service.stop('SIGKILL');
    const label = `service ${entry} ${component}`;
    const why = exit
      ? `${label} exited with code ${exit.code}${exit.signal ? ` (signal ${exit.signal})` : ''} before logging "${READY_MSG}"`
      : `${label} did not log "${READY_MSG}" within ${readyTimeoutMs} ms and was killed`;
    throw new ServiceNotReadyError(
      `${why}; ${describeOutput(service.stderr, service.lines)}`,
      {
        exit,
        stderr: service.stderr,
        lines: service.lines,
        cause: err,
      },
    );
  }
}

/**
 * Stops every service started by {@link startService} / {@link spawnService}
 * that is still running (and no other process), for `afterEach` / `afterAll`.
 * Resolves with their exits once all of them are gone.
 */
export async function stopAllServices(
  options: StopAllOptions = {},
): Promise<ExitInfo[]> {
  const signal = options.signal ?? 'SIGKILL';
  const timeoutMs = options.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
  return Promise.all([...running].map((s) => s.stop(signal, timeoutMs)));
}
