import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Logger } from './logger.js';
import { buildLogger } from './build-logger.js';
import { LoggerError } from './logger-error.js';
import { isLevelName, type LevelName } from './levels.js';

/**
 * A log scope. Its child logger is made on the first `getLogger()` inside it, so a request whose
 * handler never logs (most of them) does not pay for building one. Scopes made by another copy of
 * this package in the process are plain `{ logger }` objects: both shapes answer `.logger`.
 */
class LogScope {
  #logger: Logger | undefined;
  constructor(
    private readonly parent: Logger,
    private readonly bindings: Record<string, unknown>,
  ) {}

  get logger(): Logger {
    return (this.#logger ??= this.parent.child(this.bindings));
  }
}

interface LoggerState {
  readonly scopes: AsyncLocalStorage<{ readonly logger: Logger }>;
  root: Logger | undefined;
}

/**
 * Process-wide state on a global symbol, so that two copies of `@kenos/logger` in one process
 * share the root logger and the request scopes.
 */
const STATE_KEY = Symbol.for('@kenos/logger.state.v1');

function state(): LoggerState {
  const g = globalThis as { [STATE_KEY]?: LoggerState };
  let s = g[STATE_KEY];
  if (s === undefined) {
    s = {
      scopes: new AsyncLocalStorage<{ readonly logger: Logger }>(),
      root: undefined,
    };
    g[STATE_KEY] = s;
  }
  return s;
}

/** Makes `logger` the root logger returned by `getLogger()` outside any scope. */
export function setRootLogger(logger: Logger): void {
  state().root = logger;
}

function rootLogger(): Logger {
  const s = state();
  if (s.root === undefined) {
    const env =
      process.env['KENOS_ENV'] ?? process.env['NODE_ENV'] ?? 'development';
    s.root = buildLogger({
      service: 'unknown',
      version: '0.0.0',
      env,
      component: 'unknown',
    });
  }
  return s.root;
}

/**
 * The logger to use here: the request-scoped logger inside `runWithLogContext`, otherwise the root
 * logger of the last `createLogger` call (or, if there was none, a default root logger built from
 * `LOG_LEVEL`, `LOG_FORMAT` and `KENOS_ENV`/`NODE_ENV` with service `unknown`).
 *
 * @public
 */
export function getLogger(): Logger {
  return state().scopes.getStore()?.logger ?? rootLogger();
}

/**
 * Runs `fn` in a log scope: every line logged through `getLogger()` inside it, including in
 * callbacks and awaited code, carries `bindings`. Scopes nest (inner bindings are added to the
 * outer ones). The outermost scope gets a `request_id` (a random UUID) when `bindings` has none.
 *
 * @returns what `fn` returns (a promise stays a promise).
 * @public
 */
export function runWithLogContext<T>(
  bindings: Record<string, unknown>,
  fn: () => T,
): T {
  const s = state();
  const outer = s.scopes.getStore();
  // a copy: the scope's logger is built later, with the bindings as they are now
  const scoped =
    outer === undefined && bindings['request_id'] === undefined
      ? { request_id: randomUUID(), ...bindings }
      : { ...bindings };
  return s.scopes.run(new LogScope(outer?.logger ?? rootLogger(), scoped), fn);
}

/**
 * Changes the level of the root logger at runtime. Every logger derived from it (request-scoped
 * loggers and `child()` loggers created without their own `level`) follows immediately.
 *
 * @throws LoggerError `KENOS_ERR_LOGGER_OPTION_INVALID` for an unknown level name.
 * @public
 */
export function setLogLevel(level: LevelName): void {
  if (!isLevelName(level)) {
    throw new LoggerError(
      'KENOS_ERR_LOGGER_OPTION_INVALID',
      `Unknown log level ${JSON.stringify(level)}: use one of trace, debug, info, warn, error, fatal, silent`,
    );
  }
  rootLogger().level = level;
}

/**
 * The current level of the root logger.
 *
 * @public
 */
export function getLogLevel(): LevelName {
  return rootLogger().level as LevelName;
}
