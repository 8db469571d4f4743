import { findExecutable } from '../process/find-executable.js';
import { TestingError } from '../testing-error.js';

/** One endpoint Prometheus scrapes. */
export interface ScrapeTarget {
  /** The `job` label of its series (targets of one job share a scrape config). */
  job: string;
  /** `host:port` of the endpoint, e.g. `127.0.0.1:9464`. */
  address: string;
  /** Path of the metrics endpoint. Default `/metrics`. */
  metricsPath?: string;
  /** Labels Prometheus adds to every series of this target (e.g. `namespace`, `pod`). Default `{}`. */
  labels?: Record<string, string>;
}

/** `1000` → `1000ms`, a duration Prometheus parses. */
const duration = (ms: number): string => `${Math.max(1, Math.round(ms))}ms`;

/**
 * The `prometheus.yml` of {@link ScrapeTarget}s, as JSON (YAML is a superset
 * of JSON): one scrape config per job, one static config per target.
 */
export function prometheusConfig(
  targets: readonly ScrapeTarget[],
  scrapeIntervalMs: number,
): string {
  const jobs = new Map<string, ScrapeTarget[]>();
  for (const t of targets) jobs.set(t.job, [...(jobs.get(t.job) ?? []), t]);
  const interval = duration(scrapeIntervalMs);
  return JSON.stringify(
    {
      global: {
        scrape_interval: interval,
        scrape_timeout: interval,
        evaluation_interval: interval,
      },
      scrape_configs: [...jobs].map(([job, members]) => ({
        job_name: job,
        static_configs: members.map((t) => ({
          targets: [t.address],
          labels: {
            ...t.labels,
            ...(t.metricsPath === undefined
              ? {}
              : { __metrics_path__: t.metricsPath }),
          },
        })),
      })),
    },
    null,
    2,
  );
}

/**
 * The absolute path of the Prometheus binary `command` (a name looked up on `PATH`, or a path);
 * throws `KENOS_ERR_TESTING_PROMETHEUS_MISSING` when it is not an executable.
 */
export function findPrometheus(
  command: string,
  path = process.env['PATH'] ?? '',
): string {
  const file = findExecutable(command, path);
  if (file !== undefined) return file;
  throw new TestingError(
    'KENOS_ERR_TESTING_PROMETHEUS_MISSING',
    command.includes('/')
      ? `${command} is not an executable file; install Prometheus (Debian/Ubuntu: apt-get install prometheus)`
      : `the Prometheus binary "${command}" is not on PATH (${path || 'empty'}); install it (Debian/Ubuntu: apt-get install prometheus) or pass its path as \`command\``,
  );
}
