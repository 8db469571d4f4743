import { describeError, reportOnce } from './report-once.js';

/** What a redacted value is replaced with, by key and by value. */
export const REDACTED = '[REDACTED]';

/**
 * The key names redacted by default. A key matches when, lowercased and with `-`, `_` and spaces
 * removed, it equals or ends with one of these (so `Authorization`, `x-api-key`, `access_token`,
 * `DB_PASSWORD` and `clientSecret` all match, `token_count` does not).
 *
 * @public
 */
export const DEFAULT_REDACT_KEYS: readonly string[] = Object.freeze([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'password',
  'passwd',
  'secret',
  'token',
  'api_key',
  'apiKey',
  'private_key',
  'client_secret',
  'credentials',
]);

/** Objects nested deeper than this are replaced by a marker instead of being walked. */
const MAX_DEPTH = 32;
/** Bound on the per-logger cache of key decisions (keys can be data, e.g. ids). */
const MAX_CACHED_KEYS = 4096;
const SENSITIVE = 1;
const SKIP = 2;

export interface KeyRedactor {
  /** Redacts a log object (top level); the `skipAtTop` keys are left for their serializers. */
  redactRecord(record: Record<string, unknown>): Record<string, unknown>;
  /** Redacts any value (the output of a serializer, a binding). */
  redactValue(value: unknown): unknown;
}

/** `{ ...obj }`, or, if a getter throws, a copy with that property marked unserializable. */
function cloneObject(obj: Record<string, unknown>): Record<string, unknown> {
  try {
    return { ...obj };
  } catch {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(obj)) {
      try {
        out[key] = obj[key];
      } catch (error) {
        out[key] = `[unserializable: ${describeError(error)}]`;
      }
    }
    return out;
  }
}

function normalize(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, '');
}

/**
 * Builds the case-insensitive, any-depth key redactor. It walks the object copy-on-write: a log
 * object without a sensitive key is returned as is (no allocation), otherwise a copy is made
 * along the path to the redacted key; the caller's objects are never mutated.
 */
export function createKeyRedactor(
  extraKeys: readonly string[] = [],
  skipAtTop: readonly string[] = [],
): KeyRedactor {
  const suffixes = [
    ...new Set([...DEFAULT_REDACT_KEYS, ...extraKeys].map(normalize)),
  ].filter((s) => s.length > 0);
  const skip = new Set(skipAtTop);
  /** Per key: SENSITIVE and/or SKIP bits; one lookup decides a key at any level. */
  const cache = new Map<string, number>();

  function decide(key: string): number {
    let bits = cache.get(key);
    if (bits === undefined) {
      const n = normalize(key);
      bits = skip.has(key) ? SKIP : 0;
      for (const s of suffixes) {
        if (n.endsWith(s)) {
          bits |= SENSITIVE;
          break;
        }
      }
      if (cache.size < MAX_CACHED_KEYS) cache.set(key, bits);
    }
    return bits;
  }

  function walk(value: unknown, depth: number, ancestors: unknown[]): unknown {
    if (typeof value !== 'object' || value === null) return value;
    const proto: unknown = Object.getPrototypeOf(value);
    // Plain objects and arrays (nearly everything logged) skip the special-type checks.
    if (
      proto !== Object.prototype &&
      proto !== Array.prototype &&
      proto !== null
    ) {
      if (
        ArrayBuffer.isView(value) ||
        value instanceof Date ||
        value instanceof RegExp
      )
        return value;
      if (value instanceof Map || value instanceof Set) return value;
    }
    if (ancestors.includes(value)) return '[Circular]';
    if (depth >= MAX_DEPTH) return '[Truncated: too deep]';
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      const json: unknown = toJSON.call(value);
      return json === value ? json : walk(json, depth, ancestors);
    }
    ancestors.push(value);
    try {
      return Array.isArray(value)
        ? walkArray(value, depth, ancestors)
        : walkObject(value as Record<string, unknown>, depth, ancestors, false);
    } finally {
      ancestors.pop();
    }
  }

  function walkArray(
    arr: unknown[],
    depth: number,
    ancestors: unknown[],
  ): unknown[] {
    let out: unknown[] | undefined;
    for (let i = 0; i < arr.length; i++) {
      const item: unknown = arr[i];
      const next = walk(item, depth + 1, ancestors);
      if (out === undefined && next !== item) out = arr.slice(0, i);
      if (out !== undefined) out.push(next);
    }
    return out ?? arr;
  }

  function walkObject(
    obj: Record<string, unknown>,
    depth: number,
    ancestors: unknown[],
    top: boolean,
  ): Record<string, unknown> {
    let out: Record<string, unknown> | undefined;
    // for…in over own keys (pino does the same): no key array is allocated for the common case.
    for (const key in obj) {
      if (!Object.prototype.hasOwnProperty.call(obj, key)) continue;
      let value: unknown;
      let next: unknown;
      try {
        value = obj[key];
        const bits = decide(key);
        if (top && (bits & SKIP) !== 0) {
          next = value;
        } else if ((bits & SENSITIVE) !== 0) {
          next = value === undefined || value === null ? value : REDACTED;
        } else if (typeof value === 'object' && value !== null) {
          next = walk(value, depth + 1, ancestors);
        } else {
          next = value;
        }
      } catch (error) {
        reportOnce(
          'walk',
          `a logged value could not be read (key "${key}")`,
          error,
        );
        next = `[unserializable: ${describeError(error)}]`;
        value = undefined;
      }
      if (next !== value) {
        // Spread clones the object's shape in one step; only changed keys are written after it.
        out ??= cloneObject(obj);
        out[key] = next;
      }
    }
    return out ?? obj;
  }

  return {
    redactRecord(record) {
      return walkObject(record, 0, [record], true);
    },
    redactValue(value) {
      return walk(value, 0, []);
    },
  };
}
