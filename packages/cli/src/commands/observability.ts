import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { CliError } from '../cli-error.js';
import { write, type CliIo } from '../cli-io.js';
import { parseCommandArgs, usageError, type Command } from '../command.js';

/** Asset names of `kenos observability`, with the file each one is rendered to. */
const ASSETS = {
  dashboard: 'dashboard.json',
  alerts: 'alerts.yaml',
  podmonitor: 'podmonitor.yaml',
} as const;

const usage = `Usage: kenos observability <asset> [flags]
       kenos observability write DIR [flags]

The fleet-wide observability assets of @kenos/telemetry, identical for every
service because every service exposes the same metric names.

Assets (printed on stdout):
  dashboard    Grafana dashboard (JSON)
  alerts       Prometheus alerting rules (YAML rule file; check with promtool)
  podmonitor   Prometheus Operator PodMonitor scraping the admin port (YAML)
write DIR      writes dashboard.json, alerts.yaml and podmonitor.yaml into DIR (created
               if missing) and prints the paths

Flags:
  --service NAME     pin the assets to one service (default: every service, by label)
  --namespace NS     PodMonitor namespace (default: the telemetry default)
  -h, --help         show this help
`;

function outputError(
  target: string,
  reason: string,
  cause?: unknown,
): CliError {
  return new CliError(
    'KENOS_ERR_CLI_OUTPUT',
    `cannot write into ${target}: ${reason}`,
    cause === undefined ? {} : { cause },
  );
}

/**
 * Makes sure `target` is a directory, creating the missing levels one at a
 * time: a path under a file fails at once, and so does a place where no
 * directory can be made (`/proc/x`), where a recursive `mkdir` would retry
 * forever.
 */
async function ensureDirectory(target: string): Promise<void> {
  const missing: string[] = [];
  for (let dir = target; ; dir = dirname(dir)) {
    const found = await stat(dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' && dirname(dir) !== dir) return undefined;
      throw outputError(target, `cannot look at ${dir}`, err);
    });
    if (found === undefined) {
      missing.unshift(dir);
      continue;
    }
    if (!found.isDirectory())
      throw outputError(target, `${dir} is a file, not a directory`);
    break;
  }
  for (const dir of missing) {
    await mkdir(dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST')
        throw outputError(target, `cannot create the directory ${dir}`, err);
    });
  }
}

/** `kenos observability dashboard|alerts|podmonitor|write DIR`: shared dashboards and alerts. */
export const observabilityCommand: Command = {
  name: 'observability',
  summary: 'print or write the Grafana dashboard, alert rules and PodMonitor',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(
      this,
      args,
      { service: { type: 'string' }, namespace: { type: 'string' } },
      { min: 1, max: 2 },
    );
    const [asset = '', dir] = positionals;
    const isWrite = asset === 'write';
    if (!isWrite && !Object.hasOwn(ASSETS, asset)) {
      throw usageError(
        this,
        `unknown asset '${asset}' (${Object.keys(ASSETS).join(', ')}, write DIR)`,
      );
    }
    if (isWrite !== (dir !== undefined)) {
      throw usageError(
        this,
        isWrite
          ? 'write needs a directory'
          : `unexpected argument '${dir ?? ''}'`,
      );
    }
    const { renderObservabilityAssets } = await import(
      '@kenos/telemetry/assets'
    );
    const files = renderObservabilityAssets({
      ...(values.service === undefined ? {} : { service: values.service }),
      ...(values.namespace === undefined
        ? {}
        : { podMonitor: { namespace: values.namespace } }),
    });
    if (!isWrite) {
      await write(io.stdout, files[ASSETS[asset as keyof typeof ASSETS]] ?? '');
      return 0;
    }
    const target = resolve(dir ?? '.');
    await ensureDirectory(target);
    for (const [name, content] of Object.entries(files)) {
      const path = join(target, name);
      await writeFile(path, content).catch((err: unknown) => {
        throw outputError(target, `cannot write ${path}`, err);
      });
      await write(io.stdout, `${path}\n`);
    }
    return 0;
  },
};
