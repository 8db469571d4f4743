import { LoggerError } from './logger-error.js';
import { REDACTED } from './create-key-redactor.js';
import { escapeRegExp } from './secret-forms.js';
import { createSecretMatcher, type SecretMatcher } from './secret-matcher.js';

/**
 * The shortest secret value `registerSecretValue` accepts: shorter values would scrub ordinary
 * words and numbers from every line.
 *
 * @public
 */
export const MIN_SECRET_LENGTH = 6;

/**
 * The process-wide registry. Its shape is shared with every other copy of this package in the
 * process, older ones included: they read `find` and `replaceAll` (raw and JSON-escaped forms) and
 * rebuild them from `needles` when they register a value.
 */
interface SecretRegistry {
  /** Registered values, kept to refuse nothing twice. */
  readonly values: Set<string>;
  /** Matches any needle, longest first; undefined when none. */
  find: RegExp | undefined;
  /** The same pattern with the global flag, for the replacement. */
  replaceAll: RegExp | undefined;
  /** Raw and JSON-escaped forms of every value, longest first. */
  needles: string[];
}

/**
 * The registry lives on a global symbol so that two copies of `@kenos/logger` in one process
 * (a duplicated install) still scrub the same secrets.
 */
const REGISTRY_KEY = Symbol.for('@kenos/logger.secrets.v1');

function registry(): SecretRegistry {
  const g = globalThis as { [REGISTRY_KEY]?: SecretRegistry };
  let r = g[REGISTRY_KEY];
  if (r === undefined) {
    r = {
      values: new Set(),
      needles: [],
      find: undefined,
      replaceAll: undefined,
    };
    g[REGISTRY_KEY] = r;
  }
  return r;
}

/**
 * Registers a known secret value (a decrypted secret, a sensitive config value). From now on it is
 * replaced by `[REDACTED]` wherever it appears in a serialized log line of any logger: message,
 * `err.message`, `err.stack`, nested objects, bindings.
 *
 * @throws LoggerError `KENOS_ERR_LOGGER_SECRET_TOO_SHORT` when `value` is shorter than
 * {@link MIN_SECRET_LENGTH} (6) characters, `KENOS_ERR_LOGGER_SECRET_INVALID` when it is not a string.
 * @public
 */
export function registerSecretValue(value: string): void {
  if (typeof value !== 'string') {
    throw new LoggerError(
      'KENOS_ERR_LOGGER_SECRET_INVALID',
      `registerSecretValue expects a string, got ${value === null ? 'null' : typeof value}`,
    );
  }
  if (value.length < MIN_SECRET_LENGTH) {
    throw new LoggerError(
      'KENOS_ERR_LOGGER_SECRET_TOO_SHORT',
      `A secret value of ${value.length} characters cannot be scrubbed from logs by value: the minimum is ${MIN_SECRET_LENGTH}. Mark the field sensitive by name instead, or use a longer secret.`,
    );
  }
  const r = registry();
  if (r.values.has(value)) return;
  r.values.add(value);
  const needles = new Set(r.needles);
  needles.add(value);
  // The form the value takes inside a JSON string (quotes, backslashes, control characters escaped).
  needles.add(JSON.stringify(value).slice(1, -1));
  // Longest first, so that a secret containing another one is replaced whole.
  r.needles = [...needles].sort((a, b) => b.length - a.length);
  const pattern = r.needles.map(escapeRegExp).join('|');
  r.find = new RegExp(pattern);
  r.replaceAll = new RegExp(pattern, 'g');
  // every form of every value, computed now rather than on the next line
  matcher(r.values);
}

/** This copy's matcher of every form of every registered value, rebuilt when the set grew. */
let cached: { size: number; matcher: SecretMatcher } | undefined;

function matcher(values: ReadonlySet<string>): SecretMatcher {
  // the values may have been registered by another copy of this package
  if (cached === undefined || cached.size !== values.size) {
    cached = { size: values.size, matcher: createSecretMatcher(values) };
  }
  return cached.matcher;
}

/** Number of registered secret values (for diagnostics and tests). */
export function registeredSecretCount(): number {
  return registry().values.size;
}

/**
 * Replaces every registered secret value in a serialized line, in every form it takes on its way
 * through a server (see secret-forms.ts).
 */
export function scrubSecrets(line: string): string {
  const values = registry().values;
  return values.size === 0 ? line : matcher(values).scrub(line, REDACTED);
}
