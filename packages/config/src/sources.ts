import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parseDocument, type YAMLError } from 'yaml';
import type { ConfigProblem } from './config-error.js';
import {
  FORBIDDEN_KEYS,
  type NormalizedLeaf,
  type NormalizedSchema,
} from './define-config-schema.js';

/** One value a source supplies for one leaf (internal). */
export interface SourceEntry {
  readonly path: string;
  readonly value: unknown;
  /** `file:config/default.yaml`, `env:HTTP_PORT`, `arg:--http.port`, … */
  readonly source: string;
  /** The value is text to coerce (env var, `NAME_FILE`, argument), not a typed file value. */
  readonly fromText: boolean;
  /** The env var that supplied it, if any. */
  readonly envName?: string;
}

/** What reading one source produced (internal). */
export interface SourceResult {
  readonly entries: SourceEntry[];
  readonly problems: ConfigProblem[];
  /** Keys this source should have supplied but could not (an undecryptable secrets file): not also reported missing. */
  readonly blocked?: readonly string[];
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function lineColumnAt(
  text: string,
  position: number,
): { line: number; column: number } {
  const before = text.slice(0, position);
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

/** Parses JSON or YAML text; returns the data or a parse problem with line and column. */
export function parseConfigText(
  text: string,
  format: 'json' | 'yaml',
  source: string,
): { data: unknown } | { problem: ConfigProblem } {
  if (text.trim() === '') return { data: {} };
  if (format === 'json') {
    try {
      const data = JSON.parse(text) as unknown;
      // JSON.parse keeps the last of two equal keys silently; JSON is YAML, whose parser finds them
      const duplicate = parseDocument(text, {
        uniqueKeys: true,
        prettyErrors: true,
      }).errors.find((e) => e.code === 'DUPLICATE_KEY');
      if (duplicate)
        return { problem: yamlParseProblem(text, duplicate, source, 'JSON') };
      return { data };
    } catch (err) {
      const message = (err as Error).message;
      const lc = /line (\d+) column (\d+)/.exec(message);
      const pos = /position (\d+)/.exec(message);
      const at = lc
        ? { line: Number(lc[1]), column: Number(lc[2]) }
        : pos
          ? lineColumnAt(text, Number(pos[1]))
          : lineColumnAt(text, text.length);
      return {
        problem: {
          kind: 'parse-error',
          source,
          ...at,
          message: `malformed JSON at line ${at.line}, column ${at.column}: ${message.replace(/\s*\(line \d+ column \d+\)/, '')}`,
        },
      };
    }
  }
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  const first = doc.errors[0];
  if (first) return { problem: yamlParseProblem(text, first, source, 'YAML') };
  return { data: doc.toJS({ maxAliasCount: 100 }) as unknown };
}

/** Finds forbidden keys (`__proto__`, `constructor`, `prototype`) at any depth of a value. */
function forbiddenKeysIn(value: unknown, path: string, out: string[]): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => forbiddenKeysIn(v, `${path}[${i}]`, out));
  } else if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value)) {
      const p = path ? `${path}.${key}` : key;
      if (FORBIDDEN_KEYS.has(key)) out.push(p);
      else forbiddenKeysIn((value as Record<string, unknown>)[key], p, out);
    }
  }
}

/** A YAML parser error (also used for duplicate keys in JSON) as a problem with line and column. */
function yamlParseProblem(
  text: string,
  error: YAMLError,
  source: string,
  format: 'JSON' | 'YAML',
): ConfigProblem {
  const pos = error.linePos?.[0] ?? lineColumnAt(text, error.pos[0]);
  const at = { line: pos.line, column: 'col' in pos ? pos.col : pos.column };
  return {
    kind: 'parse-error',
    source,
    ...at,
    message: `malformed ${format} at line ${at.line}, column ${at.column}: ${error.message.split('\n')[0]}`,
  };
}

function forbiddenProblem(key: string, source: string): ConfigProblem {
  return {
    kind: 'forbidden-key',
    key,
    source,
    message: `'${key.split('.').find((k) => FORBIDDEN_KEYS.has(k.replace(/\[\d+\]$/, ''))) ?? key}' is not allowed as a config key (prototype pollution)`,
  };
}

/** Maps a parsed config object onto the schema's leaves, reporting unknown and forbidden keys. */
export function entriesFromObject(
  schema: NormalizedSchema,
  data: unknown,
  source: string,
): SourceResult {
  const entries: SourceEntry[] = [];
  const problems: ConfigProblem[] = [];
  if (!isPlainObject(data)) {
    problems.push({
      kind: 'not-an-object',
      source,
      message: `the file must hold an object of config keys, not ${Array.isArray(data) ? 'an array' : data === null ? 'null' : `a ${typeof data}`}`,
    });
    return { entries, problems };
  }
  const walk = (obj: Record<string, unknown>, prefix: string): void => {
    for (const key of Object.keys(obj)) {
      const p = prefix ? `${prefix}.${key}` : key;
      const value = obj[key];
      if (FORBIDDEN_KEYS.has(key)) {
        problems.push(forbiddenProblem(p, source));
      } else if (schema.leaves.has(p)) {
        const bad: string[] = [];
        forbiddenKeysIn(value, p, bad);
        if (bad.length > 0)
          for (const b of bad) problems.push(forbiddenProblem(b, source));
        else entries.push({ path: p, value, source, fromText: false });
      } else if (schema.nodes.has(p)) {
        if (isPlainObject(value)) walk(value, p);
        else {
          problems.push({
            kind: 'invalid-value',
            key: p,
            source,
            expected: 'an object',
            message: `'${p}' is a group of keys and must be an object`,
            value: JSON.stringify(value),
          });
        }
      } else {
        problems.push({
          kind: 'unknown-key',
          key: p,
          source,
          message: `unknown key '${p}' (not in the schema)`,
        });
      }
    }
  };
  walk(data, '');
  return { entries, problems };
}

/** Reads `config/<base>.{json,yaml,yml}` (all optional; two at once is a conflict). */
export function readConfigFile(
  schema: NormalizedSchema,
  cwd: string,
  base: string,
  extensions: readonly string[] = ['json', 'yaml', 'yml'],
): SourceResult & { file?: string } {
  const found = extensions
    .map((ext) => join(cwd, 'config', `${base}.${ext}`))
    .filter((f) => existsSync(f));
  if (found.length === 0) return { entries: [], problems: [] };
  const shown = found.map((f) => relative(cwd, f) || f);
  const source = `file:${shown[0]}`;
  if (found.length > 1) {
    return {
      entries: [],
      problems: [
        {
          kind: 'conflict',
          source,
          message: `several files for one source: ${shown.join(', ')}; keep one`,
        },
      ],
    };
  }
  const file = found[0] as string;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return {
      entries: [],
      problems: [
        {
          kind: 'file-not-found',
          source,
          message: `cannot read: ${(err as Error).message}`,
        },
      ],
    };
  }
  const parsed = parseConfigText(
    text,
    file.endsWith('.json') ? 'json' : 'yaml',
    source,
  );
  if ('problem' in parsed)
    return { entries: [], problems: [parsed.problem], file };
  return { ...entriesFromObject(schema, parsed.data, source), file };
}

/** Removes one trailing newline (`\n` or `\r\n`), as Kubernetes secret files often end with one. */
export function trimOneNewline(text: string): string {
  return text.endsWith('\r\n')
    ? text.slice(0, -2)
    : text.endsWith('\n')
      ? text.slice(0, -1)
      : text;
}

/** Reads the env vars (and `NAME_FILE` files) of every leaf. */
export function readEnvironment(
  schema: NormalizedSchema,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): SourceResult {
  const entries: SourceEntry[] = [];
  const problems: ConfigProblem[] = [];
  for (const leaf of schema.leaves.values()) {
    for (const name of leaf.env) {
      const direct = env[name];
      const fileVar = `${name}_FILE`;
      const filePath = env[fileVar];
      if (direct !== undefined && filePath !== undefined) {
        problems.push({
          kind: 'conflict',
          key: leaf.path,
          env: `${name}, ${fileVar}`,
          source: `env:${name}`,
          message: `both ${name} and ${fileVar} are set; set only one`,
        });
        break;
      }
      if (filePath !== undefined) {
        const file = isAbsolute(filePath) ? filePath : resolve(cwd, filePath);
        try {
          const text = trimOneNewline(readFileSync(file, 'utf8'));
          entries.push({
            path: leaf.path,
            value: text,
            source: `env:${fileVar}`,
            fromText: true,
            envName: fileVar,
          });
        } catch (err) {
          problems.push({
            kind: 'file-not-found',
            key: leaf.path,
            env: fileVar,
            source: `env:${fileVar}`,
            message: `${fileVar} points to ${filePath}, which cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
          });
        }
        break;
      }
      if (direct !== undefined) {
        entries.push({
          path: leaf.path,
          value: direct,
          source: `env:${name}`,
          fromText: true,
          envName: name,
        });
        break;
      }
    }
  }
  return { entries, problems };
}

function leafForArg(
  schema: NormalizedSchema,
  name: string,
): NormalizedLeaf | undefined {
  const direct = schema.leaves.get(name);
  if (direct) return direct;
  for (const leaf of schema.leaves.values()) if (leaf.arg === name) return leaf;
  return undefined;
}

/**
 * Reads `--key.path=value`, `--key.path value` and `--flag` (booleans) from
 * the arguments. Arguments that name no key and do not look like one (no `.`,
 * not a top-level group) are left to the service.
 */
export function readArguments(
  schema: NormalizedSchema,
  argv: readonly string[],
): SourceResult {
  const entries: SourceEntry[] = [];
  const problems: ConfigProblem[] = [];
  const topLevel = new Set(
    [...schema.leaves.keys(), ...schema.nodes].map((p) => p.split('.')[0]),
  );
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') break;
    if (!arg.startsWith('--') || arg.length === 2) continue;
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const source = `arg:--${name}`;
    if (name.split('.').some((k) => FORBIDDEN_KEYS.has(k))) {
      problems.push(forbiddenProblem(name, source));
      continue;
    }
    const leaf = leafForArg(schema, name);
    if (!leaf) {
      if (name.includes('.') || topLevel.has(name)) {
        problems.push({
          kind: 'unknown-key',
          key: name,
          source,
          message: `unknown key '${name}' (not in the schema)`,
        });
      }
      continue;
    }
    let value: string;
    if (eq !== -1) value = arg.slice(eq + 1);
    else if (leaf.formatLabel === 'boolean') value = 'true';
    else if (i + 1 < argv.length && !(argv[i + 1] as string).startsWith('--'))
      value = argv[++i] as string;
    else {
      problems.push({
        kind: 'invalid-value',
        key: leaf.path,
        source,
        message: `--${name} needs a value (--${name}=<value>)`,
      });
      continue;
    }
    entries.push({ path: leaf.path, value, source, fromText: true });
  }
  return { entries, problems };
}
