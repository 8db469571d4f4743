import { readFileSync } from 'node:fs';
import type { Server } from 'node:net';

/**
 * Most descriptors a derived cap keeps free for everything that is not an inbound API connection: the admin server
 * (probes, metrics), stdio and log pipes, files, DNS, and outgoing connections (databases, KMS, other services).
 */
export const DESCRIPTOR_HEADROOM = 256;

/**
 * The soft `Max open files` limit of this process (`ulimit -n`, the container runtime's `nofile`), read from
 * `/proc/self/limits` (Linux; Node has no getrlimit). `undefined` when it cannot be read (not Linux) or is `unlimited`.
 */
export function readOpenFilesLimit(
  readLimits: () => string = () => readFileSync('/proc/self/limits', 'utf8'),
): number | undefined {
  let text: string;
  try {
    text = readLimits();
  } catch {
    return undefined;
  }
  const soft = /^Max open files\s+(\d+)\s/m.exec(text)?.[1];
  return soft === undefined ? undefined : Number(soft);
}

/**
 * The connection cap of each of `listeners` API listeners (HTTP, gRPC) for a descriptor limit:
 * `⌊(limit − min(256, ⌊limit / 4⌋)) / listeners⌋`, at least 1. With a limit of 1024 and two listeners, 384 each (256
 * descriptors stay free); with 65 536, 32 640 each. `0` (no cap) when the limit is unknown.
 */
export function deriveMaxConnections(
  limit: number | undefined,
  listeners: number,
): number {
  if (
    limit === undefined ||
    !Number.isFinite(limit) ||
    limit <= 0 ||
    listeners <= 0
  )
    return 0;
  const headroom = Math.min(DESCRIPTOR_HEADROOM, Math.floor(limit / 4));
  return Math.max(1, Math.floor((limit - headroom) / listeners));
}

/** The connection caps of the API listeners, as {@link resolveConnectionCaps} settles them. */
export interface ConnectionCaps {
  /** Cap of the REST listener; 0 = none. */
  http: number;
  /** Cap of the gRPC listener; 0 = none. */
  grpc: number;
  /** The soft open-files limit they were derived from or checked against; `undefined` = unknown. */
  openFilesLimit: number | undefined;
  /** Descriptors the caps may use together: the limit minus the headroom; `undefined` = unknown. */
  budget: number | undefined;
}

/**
 * The caps of the REST and gRPC listeners: each configured value (`http.maxConnections`, `grpc.maxConnections`), or
 * for 0 the share {@link deriveMaxConnections} gives it of `openFilesLimit` ({@link readOpenFilesLimit}) among the
 * listeners the component has.
 */
export function resolveConnectionCaps(
  configured: { http: number; grpc: number },
  listeners: { http: boolean; grpc: boolean },
  openFilesLimit: number | undefined,
): ConnectionCaps {
  const derived = deriveMaxConnections(
    openFilesLimit,
    Number(listeners.http) + Number(listeners.grpc),
  );
  const budget =
    openFilesLimit === undefined
      ? undefined
      : openFilesLimit -
        Math.min(DESCRIPTOR_HEADROOM, Math.floor(openFilesLimit / 4));
  return {
    http: listeners.http ? configured.http || derived : 0,
    grpc: listeners.grpc ? configured.grpc || derived : 0,
    openFilesLimit,
    budget,
  };
}

/** What {@link capConnections} logs with: the `warn` of a pino-style logger. */
export interface ConnectionCapLogger {
  warn(fields: Record<string, unknown>, msg: string): void;
}

/** How often, at most, a listener at its cap logs how many connections it closed. */
const DROP_LOG_INTERVAL_MS = 10_000;

/**
 * Caps the connections `server` holds at once (`net.Server.maxConnections`: Node closes each connection beyond it as
 * soon as it is accepted, so a connection flood cannot use up the descriptors the admin server needs), and logs the
 * closed ones as a warning (`KENOS_ERR_SERVER_CONNECTION_LIMIT`) at most every 10 s with their count. `max` 0 = no cap.
 */
export function capConnections(
  server: Server,
  max: number,
  listener: string,
  logger: ConnectionCapLogger,
): void {
  if (!(max > 0)) return;
  server.maxConnections = max;
  let dropped = 0;
  let timer: NodeJS.Timeout | undefined;
  const report = (): void => {
    if (dropped === 0) {
      timer = undefined;
      return;
    }
    logger.warn(
      {
        code: 'KENOS_ERR_SERVER_CONNECTION_LIMIT',
        listener,
        max_connections: max,
        dropped,
      },
      `${listener}: ${dropped} connection${dropped === 1 ? '' : 's'} closed at accept, ${max} already open (the cap)`,
    );
    dropped = 0;
    timer = setTimeout(report, DROP_LOG_INTERVAL_MS);
    timer.unref();
  };
  server.on('drop', () => {
    dropped++;
    if (!timer) report();
  });
}
