import { AdminServer } from './admin-server.js';
import { LifecycleError, toError } from './lifecycle-error.js';
import { HealthCheckRunner } from './health-check-runner.js';
import { resolveLifecycleOptions, type LifecycleOptions } from './options.js';
import { ShutdownSequence, type Phase } from './shutdown-sequence.js';
import type {
  AdminRouteHandler,
  Beacon,
  Drainer,
  Flusher,
  HealthCheck,
  Lifecycle,
  LifecycleEvent,
  LifecycleSnapshot,
  LifecycleState,
  ShutdownHook,
} from './types.js';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Creates the lifecycle of this process (create one per process). Nothing happens until
 * `start()`: then the admin server listens, health checks run, and SIGTERM/SIGINT and crashes
 * lead to the ordered shutdown.
 *
 * @throws LifecycleError `KENOS_ERR_LIFECYCLE_INVALID_OPTIONS` when an option is out of range.
 */
export function createLifecycle(options: LifecycleOptions = {}): Lifecycle {
  const opts = resolveLifecycleOptions(options);
  const log = opts.logger;
  let state: LifecycleState = 'starting';
  let readySignalled = false;
  let everReady = false;
  let startedAt: number | undefined;
  let startPromise: Promise<number> | undefined;
  let startupTimer: NodeJS.Timeout | undefined;
  let signalsReceived = 0;
  const listeners = new Set<
    (state: LifecycleState, previous: LifecycleState) => void
  >();

  const emit = (event: LifecycleEvent): void => {
    try {
      opts.onEvent(event);
    } catch (caught) {
      log.error(
        { err: toError(caught, 'onEvent threw') },
        'lifecycle onEvent observer threw',
      );
    }
  };

  const computeState = (): LifecycleState => {
    if (sequence.phase === 'exit') return 'stopped';
    if (sequence.phase !== 'running') return 'shutting_down';
    if (!readySignalled) return 'starting';
    const critical = checks.criticalResult();
    if (critical === 'unknown') return 'starting';
    return critical === 'pass' ? 'ready' : 'degraded';
  };

  const updateState = (): void => {
    const next = computeState();
    if (next === state) return;
    const previous = state;
    state = next;
    if (next === 'ready') everReady = true;
    log.info(
      { state: next, previous },
      `lifecycle state: ${previous} -> ${next}`,
    );
    emit({ type: 'state', state: next, previous });
    for (const fn of [...listeners]) {
      try {
        fn(next, previous);
      } catch (caught) {
        log.error(
          { err: toError(caught, 'listener threw') },
          'onStateChange listener threw',
        );
      }
    }
  };

  const checks = new HealthCheckRunner({
    logger: log,
    emit,
    onChange: updateState,
    checkTimeoutMs: opts.checkTimeoutMs,
    checkIntervalMs: opts.checkIntervalMs,
  });

  const admin = new AdminServer(
    { isReady: () => state === 'ready', snapshot: () => snapshot() },
    log,
    { mutatingRoutes: opts.adminMutatingRoutes, token: opts.adminToken },
  );
  let adminPort: number | null = null;

  const onSignal = (signal: NodeJS.Signals): void => {
    signalsReceived += 1;
    if (sequence.phase === 'running') {
      log.info({ signal }, `received ${signal}: shutting down`);
      void sequence.run(signal, 0);
    } else if (signalsReceived >= 2) {
      sequence.forceExit(`second signal (${signal}) during shutdown`);
    } else {
      log.info({ signal }, `received ${signal}: already shutting down`);
    }
  };
  const onUncaughtException = (err: unknown): void => {
    void fail(err, 1, 'uncaught exception');
  };
  const onUnhandledRejection = (reason: unknown): void => {
    void fail(reason, 1, 'unhandled rejection');
  };
  const removeProcessHandlers = (): void => {
    for (const signal of SIGNALS) process.off(signal, onSignal);
    process.off('uncaughtException', onUncaughtException);
    process.off('unhandledRejection', onUnhandledRejection);
  };

  const sequence: ShutdownSequence = new ShutdownSequence({
    opts,
    emit,
    everReady: () => everReady,
    onPhase: () => {
      clearTimeout(startupTimer);
      checks.stop();
      updateState();
    },
    beforeExit: () => {
      removeProcessHandlers();
      admin.close();
    },
  });

  const fail = (
    error: unknown,
    exitCode = 1,
    context = 'fatal error',
  ): Promise<void> => {
    const err = toError(error, context);
    log.fatal({ err, exitCode }, `${context}: ${err.message}`);
    const done = sequence.run(`${context}: ${err.message}`, exitCode);
    sequence.raiseExitCode(exitCode);
    return done;
  };

  const assertPhase = (allowed: readonly Phase[], what: string): void => {
    if (!allowed.includes(sequence.phase)) {
      throw new LifecycleError(
        'KENOS_ERR_LIFECYCLE_PHASE_STARTED',
        `cannot ${what}: the shutdown is already in its "${sequence.phase}" phase`,
      );
    }
  };

  const doStart = async (): Promise<number> => {
    assertPhase(['running'], 'start');
    startedAt = performance.now();
    if (opts.handleSignals)
      for (const signal of SIGNALS) process.on(signal, onSignal);
    if (opts.handleCrashes) {
      process.on('uncaughtException', onUncaughtException);
      process.on('unhandledRejection', onUnhandledRejection);
    }
    checks.start();
    if (opts.startupTimeoutMs > 0 && !readySignalled) {
      startupTimer = setTimeout(() => {
        if (readySignalled || sequence.phase !== 'running') return;
        void fail(
          new LifecycleError(
            'KENOS_ERR_LIFECYCLE_STARTUP_TIMEOUT',
            `startup did not finish within ${opts.startupTimeoutMs} ms (signalReady() was not called)`,
          ),
          1,
          'startup failed',
        );
      }, opts.startupTimeoutMs);
    }
    const port = await admin.listen(opts.adminPort, opts.adminHost);
    adminPort = port;
    if (sequence.phase === 'exit') admin.close(); // the process ended while binding
    log.info(
      {
        adminPort: port,
        adminHost: opts.adminHost,
        adminMutatingRoutes: opts.adminMutatingRoutes,
      },
      `admin server listening on ${opts.adminHost}:${port} (mutating routes: ${opts.adminMutatingRoutes})`,
    );
    return port;
  };

  const snapshot = (): LifecycleSnapshot => {
    const progress = sequence.progress();
    return {
      state,
      ready: state === 'ready',
      adminPort,
      checks: checks.statuses(),
      beacons: sequence.beaconNames(),
      shutdown: progress,
    };
  };

  return {
    start: () => {
      startPromise ??= doStart();
      return startPromise;
    },
    get state() {
      return state;
    },
    get adminPort() {
      return adminPort;
    },
    isReady: () => state === 'ready',
    onStateChange: (fn) => {
      listeners.add(fn);
      return () => {
        listeners.delete(fn);
      };
    },
    registerHealthCheck: (check: HealthCheck) => {
      assertPhase(
        ['running'],
        `register health check ${JSON.stringify(check.name)}`,
      );
      checks.add(check);
      updateState();
    },
    registerDrainer: (drainer: Drainer) => {
      assertPhase(
        ['running', 'delay'],
        `register drainer ${JSON.stringify(drainer.name)}`,
      );
      sequence.drainers.push(drainer);
    },
    registerShutdownHook: (hook: ShutdownHook) => {
      assertPhase(
        ['running', 'delay', 'drain'],
        `register shutdown hook ${JSON.stringify(hook.name)}`,
      );
      sequence.hooks.push(hook);
    },
    registerFlusher: (flusher: Flusher) => {
      assertPhase(
        ['running', 'delay', 'drain', 'hooks'],
        `register flusher ${JSON.stringify(flusher.name)}`,
      );
      sequence.flushers.push(flusher);
    },
    beacon: (name: string): Beacon => {
      assertPhase(
        ['running', 'delay', 'drain'],
        `create beacon ${JSON.stringify(name)}`,
      );
      return sequence.beacon(name);
    },
    signalReady: () => {
      if (sequence.phase !== 'running') {
        log.warn({}, 'signalReady() ignored: the process is shutting down');
        return;
      }
      if (readySignalled) return;
      readySignalled = true;
      clearTimeout(startupTimer);
      const startupMs =
        startedAt === undefined
          ? null
          : Math.round(performance.now() - startedAt);
      log.info({ startupMs }, 'startup finished');
      updateState();
    },
    shutdown: (reason: string, exitCode = 0) => sequence.run(reason, exitCode),
    fail: (error: unknown, exitCode = 1) => fail(error, exitCode),
    adminRoute: (method: string, path: string, handler: AdminRouteHandler) => {
      assertPhase(['running'], `mount admin route ${method} ${path}`);
      admin.addRoute(method, path, handler);
    },
    snapshot,
  };
}
