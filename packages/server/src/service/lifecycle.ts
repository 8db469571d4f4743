import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServiceLogger } from './logger.js';

/** The lifecycle states of a component. */
export type LifecycleState = 'starting' | 'ready' | 'shutting_down' | 'stopped';

/** Something that finishes in-flight work when the service stops (a transport). */
export interface Drainer {
  name: string;
  /** Resolves once in-flight work is done; `signal` aborts at the shutdown deadline. */
  drain(signal: AbortSignal): Promise<void>;
}

/** An admin endpoint handler (node http). */
export type AdminHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** The lifecycle seam: probes on the admin port and the ordered shutdown. */
export interface LifecycleSeam {
  readonly state: LifecycleState;
  isReady(): boolean;
  onStateChange(fn: (state: LifecycleState) => void): void;
  registerDrainer(drainer: Drainer): void;
  registerShutdownHook(hook: { name: string; run: () => Promise<void> | void; timeoutMs?: number }): void;
  registerFlusher(flusher: { name: string; flush: () => Promise<void> }): void;
  adminRoute(method: string, path: string, handler: AdminHandler): void;
  /** Starts the admin server; resolves with its bound port. */
  start(): Promise<number>;
  signalReady(): void;
  /** Runs the shutdown sequence once, then exits with `exitCode` (1 if the deadline passed). */
  shutdown(reason: string, exitCode?: number): Promise<void>;
}

/** Options of the interim lifecycle. */
export interface LifecycleSeamOptions {
  logger: ServiceLogger;
  adminPort: number;
  shutdownDelayMs: number;
  shutdownTimeoutMs: number;
  exit: (code: number) => void;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());

/**
 * Interim lifecycle used until `@kenos/lifecycle` is wired in: admin server with
 * `/live`, `/ready`, `/health` and extra routes, and the shutdown sequence of
 * ARCHITECTURE.md §3 (readiness false → delay → drain → hooks → flush → exit).
 */
export function createLifecycleSeam(options: LifecycleSeamOptions): LifecycleSeam {
  const { logger } = options;
  let state: LifecycleState = 'starting';
  const listeners: ((s: LifecycleState) => void)[] = [];
  const drainers: Drainer[] = [];
  const hooks: { name: string; run: () => Promise<void> | void; timeoutMs?: number }[] = [];
  const flushers: { name: string; flush: () => Promise<void> }[] = [];
  const routes = new Map<string, AdminHandler>();
  let admin: Server | undefined;
  let shuttingDown: Promise<void> | undefined;

  const setState = (next: LifecycleState): void => {
    state = next;
    for (const fn of listeners) fn(next);
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const custom = routes.get(`${req.method} ${path}`);
    if (custom) return custom(req, res);
    const send = (code: number, body: unknown): void => {
      res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (path === '/live') return send(200, { status: 'alive' });
    if (path === '/ready') return state === 'ready' ? send(200, { status: 'ready' }) : send(500, { status: state });
    if (path === '/health') return send(state === 'ready' ? 200 : 500, { state, checks: [] });
    send(404, { status: 'not found' });
  };

  const run = async (reason: string, exitCode: number): Promise<void> => {
    const started = Date.now();
    logger.info({ reason, shutdown_delay_ms: options.shutdownDelayMs }, 'shutdown started');
    setState('shutting_down');
    const deadline = new AbortController();
    const pending = new Set<string>();
    const timer = setTimeout(() => {
      deadline.abort(new Error('shutdown deadline'));
      logger.fatal({ still_running: [...pending] }, `shutdown deadline of ${options.shutdownTimeoutMs} ms passed`);
      options.exit(1);
    }, options.shutdownTimeoutMs);
    timer.unref();
    await sleep(options.shutdownDelayMs);
    await Promise.all(
      drainers.map(async (d) => {
        pending.add(d.name);
        try {
          await d.drain(deadline.signal);
        } catch (err) {
          logger.error({ err, drainer: d.name }, 'drain failed');
          exitCode = 1;
        } finally {
          pending.delete(d.name);
        }
      }),
    );
    for (const hook of [...hooks].reverse()) {
      pending.add(hook.name);
      try {
        await Promise.race([
          Promise.resolve(hook.run()),
          sleep(hook.timeoutMs ?? options.shutdownTimeoutMs).then(() => {
            throw new Error(`shutdown hook ${hook.name} timed out`);
          }),
        ]);
      } catch (err) {
        logger.error({ err, hook: hook.name }, 'shutdown hook failed');
        exitCode = 1;
      } finally {
        pending.delete(hook.name);
      }
    }
    setState('stopped');
    await new Promise<void>((resolve) => {
      if (!admin) return resolve();
      admin.close(() => resolve());
      admin.closeAllConnections();
    });
    logger.info({ duration_ms: Date.now() - started, exit_code: exitCode }, 'shutdown complete');
    for (const f of flushers) await f.flush().catch(() => undefined);
    clearTimeout(timer);
    options.exit(exitCode);
  };

  return {
    get state() {
      return state;
    },
    isReady: () => state === 'ready',
    onStateChange: (fn) => void listeners.push(fn),
    registerDrainer: (d) => void drainers.push(d),
    registerShutdownHook: (h) => void hooks.push(h),
    registerFlusher: (f) => void flushers.push(f),
    adminRoute: (method, path, handler) => void routes.set(`${method.toUpperCase()} ${path}`, handler),
    start: () =>
      new Promise<number>((resolve, reject) => {
        admin = createServer(handle);
        admin.once('error', reject);
        admin.listen(options.adminPort, () => {
          admin?.off('error', reject);
          resolve((admin?.address() as AddressInfo).port);
        });
      }),
    signalReady: () => {
      if (state === 'starting') setState('ready');
    },
    shutdown: (reason, exitCode = 0) => {
      shuttingDown ??= run(reason, exitCode);
      return shuttingDown;
    },
  };
}
