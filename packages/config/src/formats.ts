import convict from 'convict';

/**
 * A named value format: `validate` throws an Error whose message says what was
 * expected; `coerce` turns the text of an environment variable, a `NAME_FILE`
 * file or a command-line argument into the value (files keep their own types).
 */
export interface KenosFormat {
  /** What a valid value looks like, for error messages and the docs table. */
  readonly description: string;
  /** Throws an Error saying what was expected when `value` is not valid. */
  validate(value: unknown): void;
  /** Turns env/argument text into the value; returns the text unchanged when it cannot (validation then reports it). */
  coerce?(text: string): unknown;
}

function assert(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

const UNITS_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};
const DURATION_PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;

/**
 * Parses a duration: a number of milliseconds, `"250"`, or one or more
 * number+unit parts (`ms`, `s`, `m`, `h`, `d`), e.g. `"30s"`, `"5m"`, `"1h30m"`.
 * Returns `undefined` when the text is not a duration.
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  if (trimmed === '') return undefined;
  DURATION_PART.lastIndex = 0;
  let total = 0;
  let end = 0;
  for (
    let m = DURATION_PART.exec(trimmed);
    m;
    m = DURATION_PART.exec(trimmed)
  ) {
    total += Number(m[1]) * (UNITS_MS[m[2] as string] as number);
    end = DURATION_PART.lastIndex;
  }
  return end === trimmed.length ? Math.round(total) : undefined;
}

function strictNumber(text: string): unknown {
  const trimmed = text.trim();
  // convict's own coercion is parseInt, which reads "80abc" as 80: be strict instead.
  return trimmed !== '' && Number.isFinite(Number(trimmed))
    ? Number(trimmed)
    : text;
}

const isInt = (x: unknown): x is number => Number.isInteger(x);

/**
 * Every named format Kenos understands. They are registered with convict
 * (`convict.addFormats`), so a Kenos schema is also a valid convict schema, and
 * the loader runs the same functions key by key to report every problem.
 */
export const kenosFormats: Readonly<Record<string, KenosFormat>> = {
  '*': { description: 'any value', validate: () => undefined },
  int: {
    description: 'an integer',
    validate: (x) => assert(isInt(x), 'must be an integer'),
    coerce: strictNumber,
  },
  integer: {
    description: 'an integer',
    validate: (x) => assert(isInt(x), 'must be an integer'),
    coerce: strictNumber,
  },
  nat: {
    description: 'an integer >= 0',
    validate: (x) => assert(isInt(x) && x >= 0, 'must be an integer >= 0'),
    coerce: strictNumber,
  },
  number: {
    description: 'a number',
    validate: (x) =>
      assert(typeof x === 'number' && Number.isFinite(x), 'must be a number'),
    coerce: strictNumber,
  },
  port: {
    description: 'a port 0-65535 (0 = ephemeral)',
    validate: (x) =>
      assert(
        isInt(x) && x >= 0 && x <= 65535,
        'must be a port within 0 - 65535',
      ),
    coerce: strictNumber,
  },
  duration: {
    description: 'a duration: milliseconds or "500ms", "30s", "5m", "1h", "1d"',
    validate: (x) =>
      assert(
        typeof x === 'number' && Number.isFinite(x) && x >= 0,
        'must be a duration like "30s", "5m" or a number of milliseconds >= 0',
      ),
    coerce: (text) => parseDuration(text) ?? text,
  },
  url: {
    description: 'an absolute URL',
    validate: (x) =>
      assert(
        typeof x === 'string' && URL.canParse(x),
        'must be an absolute URL',
      ),
  },
  'redis-url': {
    description: 'empty (none) or a redis:// or rediss:// URL',
    validate: (x) =>
      assert(
        typeof x === 'string' &&
          (x === '' ||
            (URL.canParse(x) &&
              ['redis:', 'rediss:'].includes(new URL(x).protocol) &&
              new URL(x).hostname !== '')),
        'must be empty (no queue) or a redis:// or rediss:// URL with a host, e.g. redis://:password@redis:6379/0',
      ),
  },
  'non-empty-string': {
    description: 'a non-empty string',
    validate: (x) =>
      assert(
        typeof x === 'string' && x.trim() !== '',
        'must be a non-empty string',
      ),
  },
  secret: {
    description: 'a non-empty string (sensitive)',
    validate: (x) =>
      assert(
        typeof x === 'string' && x.trim() !== '',
        'must be a non-empty string',
      ),
  },
  string: {
    description: 'a string',
    validate: (x) => assert(typeof x === 'string', 'must be a string'),
  },
  boolean: {
    description: 'a boolean (true/false)',
    validate: (x) =>
      assert(typeof x === 'boolean', 'must be a boolean (true or false)'),
    coerce: (text) => {
      const t = text.trim().toLowerCase();
      if (t === 'true' || t === '1') return true;
      if (t === 'false' || t === '0') return false;
      return text;
    },
  },
  array: {
    description: 'an array (comma-separated in env vars)',
    validate: (x) => assert(Array.isArray(x), 'must be an array'),
    coerce: (text) =>
      text.trim() === '' ? [] : text.split(',').map((s) => s.trim()),
  },
  object: {
    description: 'an object (JSON in env vars)',
    validate: (x) =>
      assert(
        typeof x === 'object' && x !== null && !Array.isArray(x),
        'must be an object',
      ),
    coerce: (text) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
    },
  },
};

/** Formats whose values are always sensitive, whatever the `sensitive` flag says. */
export const SENSITIVE_FORMATS: ReadonlySet<string> = new Set(['secret']);

/** Formats convict already knows under the same name, with the same meaning. */
const CONVICT_BUILT_INS = new Set(['*', 'int', 'integer', 'nat', 'port']);

let registered = false;

/** Registers the Kenos formats with convict (once per process). */
export function registerConvictFormats(): void {
  if (registered) return;
  registered = true;
  for (const [name, format] of Object.entries(kenosFormats)) {
    if (CONVICT_BUILT_INS.has(name)) continue;
    convict.addFormat({
      name,
      validate: (value: unknown) => format.validate(value),
      ...(format.coerce
        ? { coerce: (value: string) => format.coerce?.(value) }
        : {}),
    });
  }
}

/** An enum format: one of the listed values; env text is matched to a number when the list holds numbers. */
export function enumFormat(values: readonly unknown[]): KenosFormat {
  return {
    description: `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`,
    validate: (x) =>
      assert(
        values.includes(x),
        `must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}`,
      ),
    coerce: (text) => {
      if (values.includes(text)) return text;
      const n = Number(text);
      return text.trim() !== '' && values.includes(n) ? n : text;
    },
  };
}
