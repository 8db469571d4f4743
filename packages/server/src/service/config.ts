/** A leaf of a convict-style config schema. */
export interface ConfigLeaf<T = unknown> {
  /** What the setting means (shown in config docs). */
  doc?: string;
  /** The value when no source sets it; its type is the setting's type. */
  default: T;
  /** `'nat'`, `'int'`, `'port'`, `String`, `Number`, `Boolean`, an array of allowed values, or a validator that throws. */
  format?: unknown;
  /** Environment variable that sets it. */
  env?: string;
  /** Masked in every dump and scrubbed from logs. */
  sensitive?: boolean;
}

/** A convict-style schema: nested objects whose leaves are {@link ConfigLeaf}s. */
export interface ConfigSchema {
  [key: string]: ConfigLeaf | ConfigSchema;
}

type Widen<T> = T extends string ? string : T extends number ? number : T extends boolean ? boolean : T;

/** The plain-object type of the config a schema describes. */
export type ConfigOf<S> = {
  [K in keyof S]: S[K] extends { default: infer D } ? Widen<D> : ConfigOf<S[K]>;
};

/** The settings every Kenos service has (ARCHITECTURE.md §3). */
export interface StandardSettings {
  http: { port: number };
  grpc: { port: number };
  admin: { port: number };
  log: { level: string; format: string };
  shutdown: { delayMs: number; timeoutMs: number };
  env: string;
}

/** Loaded config: the standard settings plus the service's own keys. */
export type ServiceConfig<S> = StandardSettings & ConfigOf<S>;

/** The result of loading config: the value, and masked form for the startup log. */
export interface LoadedConfig<S> {
  value: ServiceConfig<S>;
  masked: Record<string, unknown>;
  sensitiveValues: string[];
}

/** Every problem found while loading config. */
export class ConfigProblems extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid config: ${problems.join('; ')}`);
    this.problems = problems;
  }
}

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

function standardSchema(env: NodeJS.ProcessEnv): ConfigSchema {
  return {
    http: { port: { doc: 'REST listener port (0 = ephemeral)', default: 8080, format: 'port', env: 'HTTP_PORT' } },
    grpc: { port: { doc: 'gRPC listener port (0 = ephemeral)', default: 50051, format: 'port', env: 'GRPC_PORT' } },
    admin: { port: { doc: 'Admin (probes, metrics) port (0 = ephemeral)', default: 9000, format: 'port', env: 'ADMIN_PORT' } },
    log: {
      level: { doc: 'Log level', default: 'info', format: LOG_LEVELS, env: 'LOG_LEVEL' },
      format: { doc: 'Log format', default: 'json', format: ['json', 'pretty'], env: 'LOG_FORMAT' },
    },
    shutdown: {
      delayMs: {
        doc: 'Time between readiness false and listeners closing',
        default: env['KUBERNETES_SERVICE_HOST'] ? 5000 : 0,
        format: 'nat',
        env: 'SHUTDOWN_DELAY_MS',
      },
      timeoutMs: { doc: 'Hard deadline of the whole shutdown', default: 30000, format: 'nat', env: 'SHUTDOWN_TIMEOUT_MS' },
    },
    env: { doc: 'Environment name', default: env['KENOS_ENV'] ?? env['NODE_ENV'] ?? 'development', format: String },
  };
}

function isLeaf(node: unknown): node is ConfigLeaf {
  return typeof node === 'object' && node !== null && 'default' in node;
}

function coerce(raw: string, leaf: ConfigLeaf): unknown {
  const f = leaf.format;
  if (f === 'nat' || f === 'int' || f === 'port' || f === Number || typeof leaf.default === 'number') {
    return raw.trim() === '' ? Number.NaN : Number(raw);
  }
  if (f === Boolean || typeof leaf.default === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  return raw;
}

function check(path: string, value: unknown, leaf: ConfigLeaf): string | undefined {
  const f = leaf.format;
  const shown = leaf.sensitive ? '[redacted]' : JSON.stringify(value);
  const where = leaf.env ? ` (env ${leaf.env})` : '';
  if (f === 'nat' && !(Number.isInteger(value) && (value as number) >= 0)) return `${path}${where}: must be a non-negative integer, got ${shown}`;
  if (f === 'int' && !Number.isInteger(value)) return `${path}${where}: must be an integer, got ${shown}`;
  if (f === 'port' && !(Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 65535)) return `${path}${where}: must be a port (0-65535), got ${shown}`;
  if ((f === Number || (f === undefined && typeof leaf.default === 'number')) && !Number.isFinite(value)) return `${path}${where}: must be a number, got ${shown}`;
  if (f === Boolean && typeof value !== 'boolean') return `${path}${where}: must be true or false, got ${shown}`;
  if (Array.isArray(f) && !f.includes(value)) return `${path}${where}: must be one of ${f.join(', ')}, got ${shown}`;
  if (typeof f === 'function' && f !== String && f !== Number && f !== Boolean) {
    try {
      (f as (v: unknown) => void)(value);
    } catch (err) {
      return `${path}${where}: ${(err as Error).message}`;
    }
  }
  return undefined;
}

function walk(
  schema: ConfigSchema,
  env: NodeJS.ProcessEnv,
  prefix: string,
  out: Record<string, unknown>,
  masked: Record<string, unknown>,
  problems: string[],
  secrets: string[],
): void {
  for (const [key, node] of Object.entries(schema)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isLeaf(node)) {
      const raw = node.env !== undefined ? env[node.env] : undefined;
      const value = raw !== undefined ? coerce(raw, node) : node.default;
      const problem = check(path, value, node);
      if (problem) problems.push(problem);
      out[key] = value;
      masked[key] = node.sensitive ? '[redacted]' : value;
      if (node.sensitive && typeof value === 'string' && value.length > 0) secrets.push(value);
    } else {
      const childOut: Record<string, unknown> = (out[key] as Record<string, unknown> | undefined) ?? {};
      const childMasked: Record<string, unknown> = (masked[key] as Record<string, unknown> | undefined) ?? {};
      out[key] = childOut;
      masked[key] = childMasked;
      walk(node, env, path, childOut, childMasked, problems, secrets);
    }
  }
}

/**
 * The config seam: standard settings plus the service schema, from defaults and
 * environment variables, every problem collected before failing.
 */
export function loadServiceConfig<S extends ConfigSchema>(
  schema: S | undefined,
  env: NodeJS.ProcessEnv = process.env,
): LoadedConfig<S> {
  const value: Record<string, unknown> = {};
  const masked: Record<string, unknown> = {};
  const problems: string[] = [];
  const secrets: string[] = [];
  walk(standardSchema(env), env, '', value, masked, problems, secrets);
  if (schema) walk(schema, env, '', value, masked, problems, secrets);
  if (problems.length > 0) throw new ConfigProblems(problems);
  return { value: value as ServiceConfig<S>, masked, sensitiveValues: secrets };
}
