import { LOG_LEVELS } from '@kenos/logger';
import type { ConfigSchema } from './schema-types.js';

/**
 * The standard keys every Kenos service has (ARCHITECTURE.md §3), merged into
 * every service schema. A service may change their defaults, never remove them.
 * On Kubernetes (`KUBERNETES_SERVICE_HOST` set) `shutdown.delayMs` is 5000 and
 * `batch.metricsLingerMs` 20000 unless set, both 0 elsewhere ({@link OFF_KUBERNETES_DEFAULTS}).
 */
export const standardConfigSchema = {
  env: {
    doc: 'Environment name; selects config/<env>.* and the secrets file.',
    format: 'non-empty-string',
    default: 'development',
    env: ['KENOS_ENV', 'NODE_ENV'],
  },
  service: {
    name: {
      doc: 'Service name, in every log line and metric.',
      format: 'non-empty-string',
      default: 'kenos-service',
      env: 'SERVICE_NAME',
    },
    version: {
      doc: 'Service version, in every log line and kenos_build_info.',
      format: 'non-empty-string',
      default: '0.0.0',
      env: 'SERVICE_VERSION',
    },
  },
  http: {
    port: {
      doc: 'REST (express) listener port; 0 = ephemeral.',
      format: 'port',
      default: 8080,
      env: 'HTTP_PORT',
    },
    maxConnections: {
      doc: 'Most client connections the REST listener holds at once; more are closed at accept. 0 = derived from the descriptor limit (ulimit -n): (limit - min(256, limit/4)) / number of API listeners; no cap when the limit is unknown.',
      format: 'nat',
      default: 0,
      env: 'HTTP_MAX_CONNECTIONS',
    },
  },
  grpc: {
    port: {
      doc: 'gRPC listener port; 0 = ephemeral.',
      format: 'port',
      default: 50051,
      env: 'GRPC_PORT',
    },
    maxConnections: {
      doc: 'Most client connections the gRPC listener holds at once; more are closed at accept. 0 = derived from the descriptor limit, as http.maxConnections.',
      format: 'nat',
      default: 0,
      env: 'GRPC_MAX_CONNECTIONS',
    },
  },
  admin: {
    port: {
      doc: 'Admin listener (probes, metrics) port; never exposed through the Service.',
      format: 'port',
      default: 9000,
      env: 'ADMIN_PORT',
    },
    host: {
      doc: 'Interface the admin listener binds: all IPv4 interfaces by default, since the kubelet and Prometheus reach the pod IP; 127.0.0.1 keeps it on the machine.',
      format: 'non-empty-string',
      default: '0.0.0.0',
      env: 'ADMIN_HOST',
    },
    token: {
      doc: 'Bearer token that mutating admin endpoints (PUT /log-level) require; ADMIN_TOKEN_FILE reads it from a file. Empty: they are open in the development and test envs and refused (403) in every other env.',
      format: 'string',
      default: '',
      env: 'ADMIN_TOKEN',
      sensitive: true,
    },
  },
  log: {
    level: {
      doc: 'Log level (changeable at runtime through the admin server).',
      format: LOG_LEVELS,
      default: 'info',
      env: 'LOG_LEVEL',
    },
    format: {
      doc: 'Log output: json, or pretty for local development.',
      format: ['json', 'pretty'],
      default: 'json',
      env: 'LOG_FORMAT',
    },
  },
  shutdown: {
    delayMs: {
      doc: 'Time between readiness going false and listeners closing.',
      format: 'duration',
      default: 5000,
      env: 'SHUTDOWN_DELAY_MS',
    },
    timeoutMs: {
      doc: 'Hard deadline for the whole shutdown; past it, exit 1.',
      format: 'duration',
      default: 30000,
      env: 'SHUTDOWN_TIMEOUT_MS',
    },
  },
  batch: {
    metricsLingerMs: {
      doc: 'batch:<name> only: time the admin server (/metrics) stays up after the run, so Prometheus scrapes the final job metrics; SIGTERM ends it at once.',
      format: 'duration',
      default: 20000,
      env: 'BATCH_METRICS_LINGER_MS',
    },
  },
  queue: {
    url: {
      doc: 'Redis URL of the job queue (redis://[user:password@]host:port[/db], rediss:// for TLS); REDIS_URL_FILE reads it from a file. Empty: no queue, and context.enqueue answers 503 / UNAVAILABLE.',
      format: 'redis-url',
      default: '',
      env: 'REDIS_URL',
      sensitive: true,
    },
  },
  keys: {
    provider: {
      doc: 'Key provider for encrypted secrets: local (development key file) or aws (KMS). Production refuses local.',
      format: ['local', 'aws'],
      default: 'local',
      env: 'KENOS_KEY_PROVIDER',
    },
    localKeyFile: {
      doc: 'Local development key file (keys.provider = local), relative to the working directory.',
      format: 'string',
      default: '.kenos/dev.key',
      env: 'KENOS_LOCAL_KEY_FILE',
    },
    kmsKeyId: {
      doc: 'KMS key id or ARN (keys.provider = aws).',
      format: 'string',
      default: '',
      env: 'KENOS_KMS_KEY_ID',
    },
    kmsEndpoint: {
      doc: 'KMS endpoint override, e.g. the URL of `kenos kms-local`; empty = the AWS default.',
      format: 'string',
      default: '',
      env: 'KENOS_KMS_ENDPOINT',
    },
  },
} as const satisfies ConfigSchema;

/** The type of {@link standardConfigSchema}. */
export type StandardConfigSchema = typeof standardConfigSchema;

/**
 * Defaults that apply when not running on Kubernetes (`KUBERNETES_SERVICE_HOST` unset): the one
 * place of the SDK's Kubernetes-aware defaults. `@kenos/lifecycle` has none of its own (its
 * `shutdownDelayMs` is 0 unless given); `@kenos/server` passes it `shutdown.delayMs`.
 */
export const OFF_KUBERNETES_DEFAULTS: Readonly<Record<string, unknown>> = {
  'shutdown.delayMs': 0,
  'batch.metricsLingerMs': 0,
};
