import type { KmsErrorName, KmsLocalFaults } from '@kenos/crypto/kms-local';
import type { CliIo } from '../cli-io.js';
import { write } from '../cli-io.js';
import {
  numberFlag,
  parseCommandArgs,
  usageError,
  type Command,
} from '../command.js';

/** Default port of `kenos kms-local`. */
export const KMS_LOCAL_DEFAULT_PORT = 4599;

const usage = `Usage: kenos kms-local [flags]

Runs a KMS-compatible server (AWS JSON 1.1) for development and tests until
SIGINT or SIGTERM, and prints its URL on stdout. Point the AWS SDK at it with
AWS_ENDPOINT_URL_KMS=<url> (any credentials, e.g. test/test).

Flags:
  --port N               TCP port, 0 for an ephemeral one (default ${KMS_LOCAL_DEFAULT_PORT})
  --host ADDR            address to bind (default 127.0.0.1)
  --key-file FILE        keep keys and aliases in FILE (default: in memory)
  --throttle-rate R      answer a fraction R (0-1) of calls with ThrottlingException (default 0)
  --latency-ms N         add N ms before every answer (default 0)
  --error-rate OP=R      answer a fraction R of OP calls (or * for all) with --error-name; repeatable
  --error-name NAME      error injected by --error-rate (default KMSInternalException)
  --allow-non-loopback   allow binding a non-loopback address (default false: refused)
  -h, --help             show this help
`;

function parseErrorRates(
  command: Command,
  values: string[] | undefined,
): Record<string, number> | undefined {
  if (values === undefined || values.length === 0) return undefined;
  const rates: Record<string, number> = {};
  for (const entry of values) {
    const eq = entry.indexOf('=');
    if (eq <= 0)
      throw usageError(command, `--error-rate takes OP=RATE, got '${entry}'`);
    rates[entry.slice(0, eq)] = numberFlag(
      command,
      'error-rate',
      entry.slice(eq + 1),
      0,
    );
  }
  return rates;
}

/** `kenos kms-local`: run the KMS-compatible local server until a signal. */
export const kmsLocalCommand: Command = {
  name: 'kms-local',
  summary: 'run a KMS-compatible server for development and tests',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseCommandArgs(this, args, {
      port: { type: 'string' },
      host: { type: 'string' },
      'key-file': { type: 'string' },
      'throttle-rate': { type: 'string' },
      'latency-ms': { type: 'string' },
      'error-rate': { type: 'string', multiple: true },
      'error-name': { type: 'string' },
      'allow-non-loopback': { type: 'boolean' },
    });
    const port = numberFlag(this, 'port', values.port, KMS_LOCAL_DEFAULT_PORT);
    if (!Number.isInteger(port) || port > 65535)
      throw usageError(
        this,
        `--port must be an integer from 0 to 65535, got '${values.port ?? ''}'`,
      );
    const { KMS_ERROR_STATUS, startKmsLocal } = await import(
      '@kenos/crypto/kms-local'
    );
    const errorName = values['error-name'];
    if (
      errorName !== undefined &&
      !Object.hasOwn(KMS_ERROR_STATUS, errorName)
    ) {
      throw usageError(
        this,
        `--error-name must be one of ${Object.keys(KMS_ERROR_STATUS).join(', ')}`,
      );
    }
    const faults: KmsLocalFaults = {
      throttleRate: numberFlag(
        this,
        'throttle-rate',
        values['throttle-rate'],
        0,
      ),
      latencyMs: numberFlag(this, 'latency-ms', values['latency-ms'], 0),
    };
    const errorRate = parseErrorRates(this, values['error-rate']);
    if (errorRate !== undefined) faults.errorRate = errorRate;
    if (errorName !== undefined) faults.errorName = errorName as KmsErrorName;
    const server = await startKmsLocal({
      port,
      host: values.host ?? '127.0.0.1',
      keyFile: values['key-file'],
      allowNonLoopback: values['allow-non-loopback'] ?? false,
      faults,
    }).catch((err: unknown) => {
      // an option value out of range (a rate above 1) is a usage error, like a malformed one
      if ((err as { code?: unknown }).code === 'KENOS_ERR_KMS_LOCAL_OPTIONS')
        throw usageError(this, (err as Error).message, err);
      throw err;
    });
    await write(io.stdout, `${server.url}\n`);
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      const onSignal = (s: NodeJS.Signals): void => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        resolve(s);
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    });
    await server.stop();
    await write(io.stderr, `kms-local: stopped on ${signal}\n`);
    return 0;
  },
};
