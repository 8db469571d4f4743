import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../process/free-port.js';
import { spawnCommand, type NodeProcess } from '../process/spawn-node.js';
import { TestingError, type TestingErrorCode } from '../testing-error.js';
import {
  activeTargets,
  instantQuery,
  type PrometheusSample,
} from './prometheus-api.js';
import {
  findPrometheus,
  prometheusConfig,
  type ScrapeTarget,
} from './prometheus-config.js';

/** Options of {@link startPrometheus}. */
export interface PrometheusOptions {
  /** The endpoints to scrape, on `127.0.0.1` or any host the test can reach. */
  targets: readonly ScrapeTarget[];
  /** Scrape (and scrape timeout) interval, in milliseconds. Default `1000`. */
  scrapeIntervalMs?: number;
  /** How long to wait for Prometheus to answer `/-/ready`, in milliseconds. Default `30000`. */
  readyTimeoutMs?: number;
  /** The Prometheus binary: a name looked up on `PATH`, or a path. Default `prometheus`. */
  command?: string;
  /** Extra command-line flags, e.g. `['--query.lookback-delta=30s']`. Default `[]`. */
  args?: readonly string[];
}

/** A real Prometheus server running as a child process of the test. */
export interface Prometheus {
  /** `http://127.0.0.1:<port>`, the base URL of its UI and HTTP API. */
  readonly url: string;
  /** Its process id. */
  readonly pid: number;
  /** The temporary directory of its `prometheus.yml` and storage; removed once it exited. */
  readonly dir: string;
  /** Everything it logged so far (Prometheus logs to stderr). */
  readonly log: string;
  /**
   * An instant query at the current time: the series of the result (a scalar as
   * one series without labels). Rejects with `KENOS_ERR_TESTING_PROMETHEUS_QUERY`
   * when Prometheus rejects the query (invalid PromQL) or does not answer.
   */
  query(promql: string): Promise<PrometheusSample[]>;
  /**
   * Resolves once `query(promql)` returns at least one series, with them;
   * rejects with `KENOS_ERR_TESTING_PROMETHEUS_TIMEOUT` after `timeoutMs`, at
   * once with `KENOS_ERR_TESTING_PROMETHEUS_QUERY` when Prometheus rejects the
   * query. Default `timeoutMs` `20000`.
   */
  waitForData(promql: string, timeoutMs?: number): Promise<PrometheusSample[]>;
  /**
   * Resolves once every target was scraped successfully (health `up`); rejects
   * with `KENOS_ERR_TESTING_PROMETHEUS_TIMEOUT`, naming each target's last
   * error, after `timeoutMs`. Default `timeoutMs` `20000`.
   */
  waitForTargetsUp(timeoutMs?: number): Promise<void>;
  /** Sends SIGTERM (SIGKILL after 10 s), waits for the exit and removes {@link Prometheus.dir}. */
  stop(): Promise<void>;
}

const POLL_INTERVAL_MS = 250;
const DEFAULT_WAIT_MS = 20_000;
const PORT_ATTEMPTS = 3;
const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** Directories of Prometheus servers still running, removed when the test process exits. */
const dirs = new Set<string>();
let exitHookInstalled = false;
function removeDir(dir: string): void {
  dirs.delete(dir);
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    // a file still written by a dying process: the directory is in the OS temp dir
  }
}

/** The end of Prometheus' log, for an error message. */
function logTail(proc: NodeProcess): string {
  const tail = proc.stderrLines
    .slice(-15)
    .map((l) => l.raw ?? JSON.stringify(l))
    .join('\n');
  return `Prometheus log (last lines):\n${tail || '(empty)'}`;
}

/**
 * Polls `attempt` until it returns a value; after `timeoutMs`, or when the
 * process exits, rejects with `code`, `describe()` and the log tail.
 */
async function poll<T>(
  proc: NodeProcess,
  code: TestingErrorCode,
  what: string,
  timeoutMs: number,
  attempt: () => Promise<T | undefined>,
  describe: () => Promise<string> = () => Promise.resolve(''),
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (proc.exitInfo === undefined && Date.now() < deadline) {
    try {
      const result = await attempt();
      if (result !== undefined) return result;
    } catch (err) {
      // a rejected query (no cause: Prometheus answered) fails at once, waiting will not fix its PromQL
      if (
        err instanceof TestingError &&
        err.code === 'KENOS_ERR_TESTING_PROMETHEUS_QUERY' &&
        err.cause === undefined
      )
        throw err;
      last = err;
    }
    await sleep(POLL_INTERVAL_MS);
  }
  const exit = proc.exitInfo;
  const why = exit
    ? `Prometheus exited (code ${exit.code}, signal ${exit.signal}) while waiting for ${what}`
    : `gave up waiting for ${what} after ${timeoutMs} ms`;
  const detail = await describe().catch(() => '');
  throw new TestingError(
    code,
    [why, last === undefined ? '' : `last error: ${String(last)}`, detail]
      .filter(Boolean)
      .concat(logTail(proc))
      .join('\n'),
    { cause: last },
  );
}

/** Spawns Prometheus on a free port and waits for `/-/ready`; retries when another process took the port. */
async function launch(
  binary: string,
  dir: string,
  options: PrometheusOptions,
): Promise<{ proc: NodeProcess; url: string }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const proc = spawnCommand(binary, [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      ...(options.args ?? []),
    ]);
    try {
      await poll(
        proc,
        'KENOS_ERR_TESTING_PROMETHEUS_START',
        `Prometheus ready on ${url}`,
        options.readyTimeoutMs ?? 30_000,
        async () => {
          const ready = await fetch(`${url}/-/ready`, {
            signal: AbortSignal.timeout(2000),
          });
          return ready.ok ? true : undefined;
        },
      );
      return { proc, url };
    } catch (err) {
      await proc.stop('SIGKILL');
      if (attempt < PORT_ATTEMPTS && /address already in use/.test(proc.stderr))
        continue;
      throw err;
    }
  }
}

/**
 * Starts a real Prometheus (the `prometheus` binary, Debian's package
 * `prometheus`) scraping `targets`, bound to `127.0.0.1` on a free port, with
 * a generated `prometheus.yml` and its storage in a temporary directory; resolves
 * once it is ready. It runs until {@link Prometheus.stop}, `stopAllProcesses()`
 * or the end of the test process; its directory is removed when it exits.
 * Rejects with `KENOS_ERR_TESTING_PROMETHEUS_MISSING` when the binary is not
 * found, `KENOS_ERR_TESTING_PROMETHEUS_START` when it exits or is not ready in time.
 */
export async function startPrometheus(
  options: PrometheusOptions,
): Promise<Prometheus> {
  const binary = findPrometheus(options.command ?? 'prometheus');
  const dir = mkdtempSync(join(tmpdir(), 'kenos-prometheus-'));
  dirs.add(dir);
  let proc: NodeProcess;
  let url: string;
  try {
    writeFileSync(
      join(dir, 'prometheus.yml'),
      prometheusConfig(options.targets, options.scrapeIntervalMs ?? 1000),
    );
    ({ proc, url } = await launch(binary, dir, options));
  } catch (err) {
    removeDir(dir);
    throw err;
  }
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // after spawnCommand's own hook, which SIGKILLs the processes still running
    process.once('exit', () => {
      for (const d of dirs) removeDir(d);
    });
  }
  void proc.exited.then(() => removeDir(dir));
  const query = (promql: string): Promise<PrometheusSample[]> =>
    instantQuery(url, promql);
  const expected = options.targets.length;

  return {
    url,
    pid: proc.child.pid as number,
    dir,
    get log() {
      return proc.stderr;
    },
    query,
    waitForData: (promql, timeoutMs = DEFAULT_WAIT_MS) =>
      poll(
        proc,
        'KENOS_ERR_TESTING_PROMETHEUS_TIMEOUT',
        `data for ${promql}`,
        timeoutMs,
        async () => {
          const series = await query(promql);
          return series.length > 0 ? series : undefined;
        },
      ),
    waitForTargetsUp: async (timeoutMs = DEFAULT_WAIT_MS) => {
      await poll(
        proc,
        'KENOS_ERR_TESTING_PROMETHEUS_TIMEOUT',
        `every target up (${expected})`,
        timeoutMs,
        async () => {
          const targets = await activeTargets(url);
          const up = targets.filter((t) => t.health === 'up').length;
          return up >= expected ? true : undefined;
        },
        async () =>
          (await activeTargets(url))
            .map(
              (t) =>
                `target ${t.labels['job'] ?? ''} ${t.scrapeUrl}: ${t.health}${t.lastError ? ` (${t.lastError})` : ''}`,
            )
            .join('\n') || 'no active targets yet',
      );
    },
    async stop() {
      await proc.stop('SIGTERM', 10_000);
      removeDir(dir);
    },
  };
}
