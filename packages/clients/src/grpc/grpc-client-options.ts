import * as grpc from '@grpc/grpc-js';
import { ClientsError } from '../clients-error.js';

/** Status codes a retry policy may retry: UNAVAILABLE always, RESOURCE_EXHAUSTED when the caller opts in. */
export type GrpcRetryableStatus = 'UNAVAILABLE' | 'RESOURCE_EXHAUSTED';

/**
 * Retries of a gRPC client, run by grpc-js itself (the `retryPolicy` of the channel's service config,
 * gRFC A6): a try that ends with a retryable status is tried again after an exponential backoff with
 * ±20 % jitter, within the call's deadline, and only while the channel's retry budget
 * (`retryThrottling { maxTokens: 10, tokenRatio: 0.1 }`) allows: every failed try takes a token,
 * every success gives back 0.1, and below half the tokens nothing is retried — retries stay
 * within about 10 % extra load when the server keeps failing.
 */
export interface GrpcRetryOptions {
  /** Tries in all, the first included, 2–5 (grpc-js caps at 5); `1` turns retries off. Default `3`. */
  maxAttempts?: number;
  /** Backoff before the first retry, in whole milliseconds. Default `100`. */
  initialBackoffMs?: number;
  /** Longest backoff, in whole milliseconds. Default `2000`. */
  maxBackoffMs?: number;
  /** Factor of each next backoff. Default `2`. */
  backoffMultiplier?: number;
  /**
   * Statuses that are retried. RESOURCE_EXHAUSTED (the server sheds load) only when the caller
   * knows the method is safe to repeat and wants it. Default `['UNAVAILABLE']`.
   */
  retryableStatusCodes?: readonly GrpcRetryableStatus[];
}

/** Options of `createGrpcClient`. Defaults are merged in one place, {@link resolveGrpcClientOptions}. */
export interface GrpcClientOptions {
  /**
   * Longest time a call may take, in milliseconds, retries included; lowered to what is left of the
   * deadline of the request, call or job the call is made from (`currentCallScope()`). Default `10000`.
   */
  timeoutMs?: number;
  /**
   * Channel credentials: `grpc.credentials.createSsl(rootCerts?, privateKey?, certChain?)` for TLS.
   * Clients with the same target, options and credentials object share one channel.
   * Default `grpc.credentials.createInsecure()` (plaintext, for traffic inside the cluster).
   */
  credentials?: grpc.ChannelCredentials;
  /** Retries within a budget, see {@link GrpcRetryOptions}; `false` turns them off. Default `{}` (3 tries on UNAVAILABLE). */
  retry?: GrpcRetryOptions | false;
  /**
   * Further grpc-js channel options (e.g. `grpc.keepalive_time_ms`); unless `retry` is `false`,
   * `grpc.service_config` is the one made from `retry`. Default `{}`.
   */
  channelOptions?: grpc.ChannelOptions;
  /** grpc-js client interceptors, run on every call after the Kenos ones. Default `[]`. */
  interceptors?: grpc.Interceptor[];
}

/** The options with every default applied, and the channel options derived from them. */
export interface ResolvedGrpcClientOptions {
  readonly timeoutMs: number;
  readonly credentials: grpc.ChannelCredentials;
  readonly interceptors: grpc.Interceptor[];
  /** Channel options, `grpc.service_config` included. */
  readonly channelOptions: grpc.ChannelOptions;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_RETRY = {
  maxAttempts: 3,
  initialBackoffMs: 100,
  maxBackoffMs: 2000,
  backoffMultiplier: 2,
  retryableStatusCodes: ['UNAVAILABLE'] as readonly GrpcRetryableStatus[],
};
/** At most ~10 % extra load from retries: a failure costs 1 token, a success gives back 0.1 (gRFC A6). */
const RETRY_THROTTLING = { maxTokens: 10, tokenRatio: 0.1 };
const RETRYABLE: ReadonlySet<string> = new Set([
  'UNAVAILABLE',
  'RESOURCE_EXHAUSTED',
]);

let insecure: grpc.ChannelCredentials | undefined;

function invalid(message: string): ClientsError {
  return new ClientsError('KENOS_ERR_CLIENTS_INVALID_ARGUMENT', message);
}

function wholeMs(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min)
    throw invalid(
      `${name} must be an integer of at least ${min}, got ${value}`,
    );
  return value;
}

/** The service config JSON of the retry options, or `undefined` when retries are off. */
function serviceConfig(retry: GrpcRetryOptions | false): string | undefined {
  if (retry === false) return undefined;
  const r = { ...DEFAULT_RETRY, ...retry };
  const maxAttempts = wholeMs('retry.maxAttempts', r.maxAttempts, 1);
  if (maxAttempts > 5)
    throw invalid(`retry.maxAttempts must be at most 5, got ${maxAttempts}`);
  const initial = wholeMs('retry.initialBackoffMs', r.initialBackoffMs, 1);
  const max = wholeMs('retry.maxBackoffMs', r.maxBackoffMs, initial);
  if (!(r.backoffMultiplier > 0))
    throw invalid('retry.backoffMultiplier must be a number above 0');
  if (
    r.retryableStatusCodes.length === 0 ||
    r.retryableStatusCodes.some((c) => !RETRYABLE.has(c))
  )
    throw invalid(
      'retry.retryableStatusCodes must list UNAVAILABLE and/or RESOURCE_EXHAUSTED',
    );
  if (maxAttempts === 1) return undefined;
  return JSON.stringify({
    methodConfig: [
      {
        name: [{}], // every method of the channel
        retryPolicy: {
          maxAttempts,
          initialBackoff: `${initial / 1000}s`,
          maxBackoff: `${max / 1000}s`,
          backoffMultiplier: r.backoffMultiplier,
          retryableStatusCodes: [...new Set(r.retryableStatusCodes)],
        },
      },
    ],
    retryThrottling: RETRY_THROTTLING,
  });
}

/** Applies the defaults and checks the options; throws `KENOS_ERR_CLIENTS_INVALID_ARGUMENT` for a bad one. */
export function resolveGrpcClientOptions(
  options: GrpcClientOptions = {},
): ResolvedGrpcClientOptions {
  const timeoutMs = wholeMs(
    'timeoutMs',
    options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    1,
  );
  const config = serviceConfig(options.retry ?? {});
  const channelOptions: grpc.ChannelOptions = { ...options.channelOptions };
  // without a retry policy grpc-js still makes transparent retries (a try that never left the client)
  if (config !== undefined) channelOptions['grpc.service_config'] = config;
  return {
    timeoutMs,
    credentials:
      options.credentials ?? (insecure ??= grpc.credentials.createInsecure()),
    interceptors: options.interceptors ?? [],
    channelOptions,
  };
}
