import {
  LOG_LEVELS,
  MIN_SECRET_LENGTH,
  registerSecretValue,
} from '@kenos/logger';
import type { ConfigProblem } from './config-error.js';
import type { NormalizedSchema } from './define-config-schema.js';
import { MASK } from './kenos-config.js';

/**
 * Stable codes of the warnings {@link loadConfig} gives about sensitive values (see docs/errors.md).
 *
 * - `KENOS_ERR_CONFIG_SECRET_TOO_SHORT`: shorter than the logger's minimum (6 characters), so it is
 *   not scrubbed from log lines by value (refused when `env` is `production`).
 * - `KENOS_ERR_CONFIG_SECRET_COMMON`: it occurs in the standard fields every log line carries (the
 *   service name, version, env, a level or component name, a field name), which are scrubbed too.
 */
export type ConfigWarningCode =
  | 'KENOS_ERR_CONFIG_SECRET_TOO_SHORT'
  | 'KENOS_ERR_CONFIG_SECRET_COMMON';

/** A problem with a loaded config that does not stop the service (never holds a sensitive value). */
export interface ConfigWarning {
  /** Stable code, see {@link ConfigWarningCode}. */
  readonly code: ConfigWarningCode;
  /** Dotted key path; for a value inside an object or list, the path down to the string (`webhook.token`). */
  readonly key: string;
  /** Where the value came from: `default`, `env:DB_PASSWORD`, `secrets:config/production.secrets.yaml`, … */
  readonly source: string;
  /** One-line human description, naming the key and never the value. */
  readonly message: string;
}

/** Field names of every log line and of the access lines (docs/logger.md, docs/server.md). */
const LOG_FIELD_NAMES = [
  'level',
  'time',
  'msg',
  'service',
  'version',
  'env',
  'component',
  'request_id',
  'trace_id',
  'span_id',
  'trace_flags',
  'err',
  'http',
  'method',
  'route',
  'path',
  'status',
  'duration_ms',
  'grpc',
  'rpc',
  'code',
  '[REDACTED]',
];

/** What every line of this service carries: if a secret occurs in it, those fields turn `[REDACTED]`. */
function standardLogWords(values: Readonly<Record<string, unknown>>): string[] {
  const standard = [
    values['env'],
    values['service.name'],
    values['service.version'],
  ].filter((v): v is string => typeof v === 'string');
  return [
    ...standard,
    ...LOG_LEVELS,
    'api',
    'worker:',
    'batch:',
    ...LOG_FIELD_NAMES,
  ];
}

/**
 * The passwords inside a URL with credentials (`redis://user:password@host`, `?password=`), as
 * written (percent-encoded) and decoded: a client library that logs its connection options or an
 * error shows them without the rest of the URL. None for a string that is no URL.
 */
export function urlPasswords(text: string): string[] {
  if (!text.includes('://') || !URL.canParse(text)) return [];
  const url = new URL(text);
  const written = [url.password, url.searchParams.get('password') ?? ''];
  const out = new Set<string>();
  for (const raw of written) {
    if (raw === '') continue;
    out.add(raw);
    try {
      out.add(decodeURIComponent(raw));
    } catch {
      // a malformed escape: the written form is what a client would show
    }
  }
  return [...out];
}

/** Every string inside a sensitive value, and every password inside a URL among them, with the path down to it. */
function* stringsOf(
  path: string,
  value: unknown,
): Generator<[key: string, text: string, what: string]> {
  if (typeof value === 'string') {
    yield [path, value, 'a sensitive value'];
    for (const password of urlPasswords(value))
      yield [path, password, 'the password of the sensitive URL'];
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value))
      yield* stringsOf(`${path}.${k}`, v);
  }
}

/** What {@link checkSensitiveValues} found. */
export interface SensitiveValueCheck {
  /** Values that stop the load (a value too short to scrub, in production). */
  readonly problems: ConfigProblem[];
  readonly warnings: ConfigWarning[];
  /** The strings to register with the logger's scrubber once the config is valid. */
  readonly scrubbable: string[];
}

/**
 * Checks every string of every sensitive value against what the logger can scrub by value: one
 * shorter than its minimum (6 characters) is a warning, or in production (`env` = `production`, as
 * for `keys.provider`) a `policy` problem; one that occurs in the standard fields of every log line
 * is a warning (it is still scrubbed: a leak is worse than a mangled field). Empty strings are no
 * secret and are skipped. Nothing returned holds a value.
 */
export function checkSensitiveValues(
  schema: NormalizedSchema,
  values: Readonly<Record<string, unknown>>,
  sources: ReadonlyMap<string, string>,
  sensitive: ReadonlySet<string>,
): SensitiveValueCheck {
  const production = values['env'] === 'production';
  const words = standardLogWords(values);
  const out: SensitiveValueCheck = {
    problems: [],
    warnings: [],
    scrubbable: [],
  };
  for (const path of sensitive) {
    const source = sources.get(path) ?? 'default';
    const envNames = schema.leaves.get(path)?.env ?? [];
    for (const [key, text, what] of stringsOf(path, values[path])) {
      if (text === '') continue;
      if (text.length < MIN_SECRET_LENGTH) {
        const message = `${what} shorter than ${MIN_SECRET_LENGTH} characters cannot be scrubbed from log lines by value`;
        if (production) {
          out.problems.push({
            kind: 'policy',
            key,
            ...(envNames.length > 0 ? { env: envNames.join(', ') } : {}),
            source,
            value: MASK,
            expected: `at least ${MIN_SECRET_LENGTH} characters in production`,
            message: `${message}; production refuses it`,
          });
        } else {
          out.warnings.push({
            code: 'KENOS_ERR_CONFIG_SECRET_TOO_SHORT',
            key,
            source,
            message: `${key} (from ${source}): ${message}, so it is not scrubbed; production refuses it. Use a longer value.`,
          });
        }
        continue;
      }
      const common = words.find((word) => word.includes(text));
      if (common !== undefined) {
        out.warnings.push({
          code: 'KENOS_ERR_CONFIG_SECRET_COMMON',
          key,
          source,
          message: `${key} (from ${source}): ${what.replace(/^a /, 'the ')} occurs in the standard fields of every log line (the ${describeWord(common, values)}), which are scrubbed to [REDACTED] along with it. Use a value that is no common word.`,
        });
      }
      out.scrubbable.push(text);
    }
  }
  return out;
}

/** Names the standard field a secret collides with, without repeating the value. */
function describeWord(
  word: string,
  values: Readonly<Record<string, unknown>>,
): string {
  if (word === values['env']) return 'env field';
  if (word === values['service.name']) return 'service field';
  if (word === values['service.version']) return 'version field';
  if ((LOG_LEVELS as readonly string[]).includes(word)) return 'level field';
  if (['api', 'worker:', 'batch:'].includes(word)) return 'component field';
  return 'field names';
}

/** Registers every scrubbable string with the logger (call once the config is valid). */
export function registerSensitiveValues(check: SensitiveValueCheck): void {
  for (const text of check.scrubbable) registerSecretValue(text);
}
