import { randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { isIP } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { cryptoOperations } from './crypto-operations.js';
import { keyOperations, type OperationHandler } from './key-operations.js';
import { KeyStore } from './key-store.js';
import { KmsException } from './kms-exception.js';
import {
  injectedFault,
  validateFaults,
  type KmsLocalFaults,
} from './kms-local-faults.js';
import { KmsLocalError } from './kms-local-error.js';

/** Options of {@link startKmsLocal}; every one has a default. */
export interface KmsLocalOptions {
  /** TCP port; `0` picks an ephemeral port (read it from `url`). Default `0`. */
  port?: number;
  /** Address to bind. Default `'127.0.0.1'`. A non-loopback address needs `allowNonLoopback`. */
  host?: string;
  /** JSON file the keys and aliases persist in (created with mode 0600). Default none, keys live in memory. */
  keyFile?: string;
  /** Allow binding a non-loopback address (the server has no authentication). Default `false`. */
  allowNonLoopback?: boolean;
  /** Fault injection; change it later with `setFaults`. Default no faults. */
  faults?: KmsLocalFaults;
  /** Region in key and alias ARNs. Default `'us-east-1'`. */
  region?: string;
  /** Account id in key and alias ARNs. Default `'111122223333'`. */
  accountId?: string;
}

/** Request counters of a kms-local server. */
export interface KmsLocalStats {
  /** Requests received per operation name, including throttled and failed ones. */
  calls: Record<string, number>;
  /** Requests answered with an injected ThrottlingException. */
  throttled: number;
  /** Requests answered with an error injected by `errorRate`. */
  injectedErrors: number;
}

/** A running kms-local server. */
export interface KmsLocal {
  /** Base URL, e.g. `http://127.0.0.1:4599`: the `endpoint` of a KMSClient or `AWS_ENDPOINT_URL_KMS`. */
  readonly url: string;
  /** Closes the listener and every connection (requests waiting on latency are dropped). */
  stop(): Promise<void>;
  /** A snapshot of the request counters. */
  stats(): KmsLocalStats;
  /** Zeroes the request counters. */
  resetStats(): void;
  /** Replaces the fault injection settings (`{}` turns every fault off). */
  setFaults(faults: KmsLocalFaults): void;
}

const MAX_BODY_BYTES = 1024 * 1024;

/** Whether `host` is a loopback name or address (localhost, 127.0.0.0/8, ::1). */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true;
  const v4 = host.startsWith('::ffff:') ? host.slice(7) : host;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return isIP(host) === 6 && /^(0{0,4}:){2,7}0{0,3}1$|^::1$/.test(host);
}

/**
 * Starts a KMS-compatible HTTP server (AWS JSON 1.1, `TrentService.<Op>`) for
 * development and tests: the real `@aws-sdk/client-kms` talks to it with
 * `endpoint: url`. It is not a key management service: keys are stored in
 * plain JSON and requests are not authenticated.
 *
 * @throws KmsLocalError `KENOS_ERR_KMS_LOCAL_NON_LOOPBACK`, `KENOS_ERR_KMS_LOCAL_KEY_FILE`,
 *   `KENOS_ERR_KMS_LOCAL_LISTEN` or `KENOS_ERR_KMS_LOCAL_OPTIONS`.
 */
export async function startKmsLocal(
  options: KmsLocalOptions = {},
): Promise<KmsLocal> {
  const opts = {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    keyFile: options.keyFile,
    allowNonLoopback: options.allowNonLoopback ?? false,
    faults: validateFaults(options.faults ?? {}),
    region: options.region ?? 'us-east-1',
    accountId: options.accountId ?? '111122223333',
  };
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
    throw new KmsLocalError(
      'KENOS_ERR_KMS_LOCAL_OPTIONS',
      `kms-local port must be an integer from 0 to 65535, got ${String(opts.port)}`,
    );
  }
  if (!opts.allowNonLoopback && !isLoopbackHost(opts.host)) {
    throw new KmsLocalError(
      'KENOS_ERR_KMS_LOCAL_NON_LOOPBACK',
      `kms-local refuses to bind ${opts.host}: it is an unauthenticated development tool; bind a loopback address or pass allowNonLoopback (--allow-non-loopback)`,
    );
  }
  const store = new KeyStore({
    region: opts.region,
    accountId: opts.accountId,
    keyFile: opts.keyFile,
  });
  const handlers: Record<string, OperationHandler> = {
    ...keyOperations(store),
    ...cryptoOperations(store),
  };
  let faults = opts.faults;
  let stats: KmsLocalStats = { calls: {}, throttled: 0, injectedErrors: 0 };
  const stopping = new AbortController();

  const handle = async (
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> => {
    const target = req.headers['x-amz-target'];
    const op =
      typeof target === 'string' && target.startsWith('TrentService.')
        ? target.slice(13)
        : undefined;
    try {
      const body = await readBody(req);
      if (
        req.method !== 'POST' ||
        req.url?.split('?')[0] !== '/' ||
        op === undefined
      ) {
        throw new KmsException(
          'UnknownOperationException',
          'kms-local answers only POST / with X-Amz-Target: TrentService.<Operation>',
        );
      }
      stats.calls[op] = (stats.calls[op] ?? 0) + 1;
      if ((faults.latencyMs ?? 0) > 0)
        await sleep(faults.latencyMs, undefined, { signal: stopping.signal });
      const fault = injectedFault(faults, op);
      if (fault !== undefined) {
        if (fault.type === 'ThrottlingException') stats.throttled += 1;
        else stats.injectedErrors += 1;
        throw fault;
      }
      const handler = Object.hasOwn(handlers, op) ? handlers[op] : undefined;
      if (handler === undefined)
        throw new KmsException(
          'UnknownOperationException',
          `kms-local does not implement ${op}`,
        );
      let input: unknown;
      try {
        input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
      } catch {
        throw new KmsException(
          'SerializationException',
          'The request body is not valid JSON.',
        );
      }
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        throw new KmsException(
          'SerializationException',
          'The request body must be a JSON object.',
        );
      }
      send(res, 200, handler(input as Record<string, unknown>));
    } catch (err) {
      if (stopping.signal.aborted) return;
      if (err instanceof KmsException) {
        send(
          res,
          err.status,
          { __type: err.type, message: err.message },
          err.type,
        );
      } else {
        send(
          res,
          500,
          {
            __type: 'KMSInternalException',
            message: 'kms-local failed to process the request.',
          },
          'KMSInternalException',
        );
      }
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (cause) =>
      reject(
        new KmsLocalError(
          'KENOS_ERR_KMS_LOCAL_LISTEN',
          `kms-local cannot listen on ${opts.host}:${opts.port}`,
          { cause },
        ),
      ),
    );
    server.listen(opts.port, opts.host, () => resolve());
  });
  const address = server.address();
  const port =
    typeof address === 'object' && address !== null ? address.port : opts.port;
  const url = `http://${isIP(opts.host) === 6 ? `[${opts.host}]` : opts.host}:${port}`;
  process.stderr.write(
    `kms-local: development and test tool, not a key management service (no authentication, keys ${opts.keyFile === undefined ? 'in memory' : `in plain JSON at ${opts.keyFile}`}); listening on ${url}\n`,
  );

  return {
    url,
    async stop() {
      stopping.abort();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
    stats: () => ({
      calls: { ...stats.calls },
      throttled: stats.throttled,
      injectedErrors: stats.injectedErrors,
    }),
    resetStats() {
      stats = { calls: {}, throttled: 0, injectedErrors: 0 };
    },
    setFaults(next) {
      faults = validateFaults(next);
    },
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES)
        reject(
          new KmsException(
            'ValidationException',
            'The request body is larger than 1 MiB.',
          ),
        );
      else resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  errorType?: string,
): void {
  if (res.destroyed || res.headersSent) return;
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(json),
    'x-amzn-requestid': randomUUID(),
    ...(errorType === undefined ? {} : { 'x-amzn-errortype': errorType }),
  });
  res.end(json);
}
