import { ConfigSchemaError } from './config-error.js';
import {
  enumFormat,
  kenosFormats,
  SENSITIVE_FORMATS,
  type KenosFormat,
} from './formats.js';
import type {
  ConfigFormat,
  ConfigLeaf,
  ConfigSchema,
  MergedSchema,
} from './schema-types.js';
import {
  standardConfigSchema,
  type StandardConfigSchema,
} from './standard-schema.js';

/** Keys rejected anywhere (schema, files, env, arguments): prototype pollution. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
]);
/** Names the loaded config object uses for its own methods. */
const RESERVED_TOP = new Set(['get', 'sourceOf']);
const RESERVED_ANY = new Set(['toJSON', 'toString', '_cvtProperties']);
const LEAF_KEYS = new Set([
  'default',
  'format',
  'doc',
  'env',
  'arg',
  'sensitive',
  'nullable',
]);

/** One key of a normalized schema (internal). */
export interface NormalizedLeaf {
  readonly path: string;
  readonly default: unknown;
  readonly required: boolean;
  readonly format: KenosFormat;
  /** How the format is shown in docs and errors (`port`, `"a" | "b"`, `String`, …). */
  readonly formatLabel: string;
  /** The schema's own `format` (for convict), or the name of the format inferred from `default`. */
  readonly rawFormat: unknown;
  readonly env: readonly string[];
  readonly arg: string | undefined;
  readonly sensitive: boolean;
  readonly nullable: boolean;
  readonly doc: string;
}

/** A schema merged with the standard keys and flattened (internal). */
export interface NormalizedSchema {
  readonly leaves: ReadonlyMap<string, NormalizedLeaf>;
  /** Paths of nested (non-leaf) nodes. */
  readonly nodes: ReadonlySet<string>;
  /** The merged schema object, as convict reads it. */
  readonly merged: ConfigSchema;
}

/** True when a schema node is a leaf (convict's rule: it has a `default` property). */
export function isLeaf(node: unknown): node is ConfigLeaf {
  return (
    typeof node === 'object' &&
    node !== null &&
    !Array.isArray(node) &&
    'default' in node
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkKey(key: string, path: string, top: boolean): void {
  if (
    FORBIDDEN_KEYS.has(key) ||
    RESERVED_ANY.has(key) ||
    (top && RESERVED_TOP.has(key))
  ) {
    throw new ConfigSchemaError(
      `'${path}': '${key}' is a reserved key and cannot be used in a config schema`,
    );
  }
  if (key === '' || key.includes('.')) {
    throw new ConfigSchemaError(
      `'${path}': a schema key must be non-empty and contain no '.'`,
    );
  }
}

function validateNode(node: unknown, path: string): void {
  if (!isPlainObject(node)) {
    throw new ConfigSchemaError(
      `'${path || '(root)'}': a schema node must be an object; give leaves a 'default'`,
    );
  }
  if (isLeaf(node)) {
    for (const k of Object.keys(node)) {
      if (!LEAF_KEYS.has(k))
        throw new ConfigSchemaError(
          `'${path}': unknown schema property '${k}'`,
        );
    }
    resolveFormat(node, path);
    return;
  }
  const keys = Object.keys(node);
  if (keys.length === 0 && path !== '')
    throw new ConfigSchemaError(`'${path}': an empty schema node has no keys`);
  for (const key of keys) {
    checkKey(key, path ? `${path}.${key}` : key, path === '');
    validateNode(node[key], path ? `${path}.${key}` : key);
  }
  // __proto__ written as a literal key sets the prototype instead of a property: catch that too.
  if (
    Object.getPrototypeOf(node) !== Object.prototype &&
    Object.getPrototypeOf(node) !== null
  ) {
    throw new ConfigSchemaError(
      `'${path || '(root)'}': a schema node must be a plain object (no __proto__)`,
    );
  }
}

/**
 * Declares a service's config schema (convict schema syntax, plus the Kenos
 * formats). Returns the schema unchanged, typed precisely, so that
 * `loadConfig(schema)` infers the type of the loaded config. Throws
 * {@link ConfigSchemaError} for an invalid schema (unknown format, reserved
 * key, a leaf without `default`, or a change to a standard key other than
 * its `default`/`doc`).
 */
export function defineConfigSchema<const S extends ConfigSchema>(schema: S): S {
  normalizeSchema(schema);
  return schema;
}

const CONSTRUCTOR_FORMATS = new Map<unknown, string>([
  [String, 'string'],
  [Number, 'number'],
  [Boolean, 'boolean'],
  [Array, 'array'],
  [Object, 'object'],
]);

function resolveFormat(
  leaf: ConfigLeaf,
  path: string,
): { format: KenosFormat; label: string } {
  const f: ConfigFormat | undefined = leaf.format;
  const d = leaf.default;
  const fromDefault =
    typeof d === 'string'
      ? 'string'
      : typeof d === 'number'
        ? 'number'
        : typeof d === 'boolean'
          ? 'boolean'
          : Array.isArray(d)
            ? 'array'
            : isPlainObject(d)
              ? 'object'
              : '*';
  if (f === undefined)
    return {
      format: kenosFormats[fromDefault] as KenosFormat,
      label: fromDefault,
    };
  if (typeof f === 'string') {
    const format = Object.hasOwn(kenosFormats, f) ? kenosFormats[f] : undefined;
    if (!format)
      throw new ConfigSchemaError(`'${path}': unknown format '${f}'`);
    return { format, label: f };
  }
  if (Array.isArray(f)) {
    if (f.length === 0)
      throw new ConfigSchemaError(
        `'${path}': an enum format needs at least one value`,
      );
    return {
      format: enumFormat(f),
      label: f.map((v: unknown) => JSON.stringify(v)).join(' | '),
    };
  }
  const ctor = CONSTRUCTOR_FORMATS.get(f);
  if (ctor) return { format: kenosFormats[ctor] as KenosFormat, label: ctor };
  if (typeof f === 'function') {
    const fn = f as (value: unknown) => void;
    // env/argument text is coerced by the type of the default (a number default reads "64" as 64)
    const coerce = kenosFormats[fromDefault]?.coerce;
    return {
      format: {
        description: `valid for ${fn.name || 'a custom validator'}`,
        validate: fn,
        ...(coerce ? { coerce } : {}),
      },
      label: fn.name ? `custom (${fn.name})` : 'custom',
    };
  }
  throw new ConfigSchemaError(
    `'${path}': format must be a format name, an array, a constructor or a function`,
  );
}

function mergeInto(
  base: ConfigSchema,
  service: ConfigSchema,
  path: string,
): ConfigSchema {
  const out: Record<string, ConfigLeaf | ConfigSchema> = { ...base };
  for (const [key, node] of Object.entries(service)) {
    const p = path ? `${path}.${key}` : key;
    const existing = base[key];
    if (existing === undefined) {
      out[key] = node;
    } else if (isLeaf(existing)) {
      if (!isLeaf(node))
        throw new ConfigSchemaError(
          `'${p}' is a standard key: it cannot become a nested object`,
        );
      const changed = Object.keys(node).filter(
        (k) => k !== 'default' && k !== 'doc',
      );
      const different = changed.filter(
        (k) =>
          JSON.stringify(node[k as keyof ConfigLeaf]) !==
          JSON.stringify(existing[k as keyof ConfigLeaf]),
      );
      if (different.length > 0) {
        throw new ConfigSchemaError(
          `'${p}' is a standard key: a service may change only its 'default' and 'doc', not ${different.join(', ')}`,
        );
      }
      out[key] = {
        ...existing,
        default: node.default,
        ...(node.doc !== undefined ? { doc: node.doc } : {}),
      };
    } else {
      if (isLeaf(node))
        throw new ConfigSchemaError(
          `'${p}' holds standard keys: it cannot become a single value`,
        );
      out[key] = mergeInto(existing, node as ConfigSchema, p);
    }
  }
  return out;
}

function flatten(
  node: ConfigSchema,
  path: string,
  leaves: Map<string, NormalizedLeaf>,
  nodes: Set<string>,
): void {
  for (const [key, child] of Object.entries(node)) {
    const p = path ? `${path}.${key}` : key;
    if (isLeaf(child)) {
      const { format, label } = resolveFormat(child, p);
      const formatName = typeof child.format === 'string' ? child.format : '';
      const env =
        child.env === undefined
          ? []
          : typeof child.env === 'string'
            ? [child.env]
            : [...child.env];
      leaves.set(p, {
        path: p,
        default: child.default,
        required: child.default === undefined,
        format,
        formatLabel: label,
        rawFormat: child.format ?? label,
        env,
        arg: child.arg,
        sensitive:
          child.sensitive === true || SENSITIVE_FORMATS.has(formatName),
        nullable: child.nullable === true,
        doc: child.doc ?? '',
      });
    } else {
      nodes.add(p);
      flatten(child, p, leaves, nodes);
    }
  }
}

/** Validates a service schema, merges it with the standard keys and flattens it (internal). */
export function normalizeSchema(schema: ConfigSchema): NormalizedSchema {
  validateNode(schema, '');
  const merged = mergeInto(standardConfigSchema, schema, '');
  const leaves = new Map<string, NormalizedLeaf>();
  const nodes = new Set<string>();
  flatten(merged, '', leaves, nodes);
  const envOwners = new Map<string, string>();
  for (const leaf of leaves.values()) {
    for (const name of leaf.env) {
      const owner = envOwners.get(name);
      if (owner)
        throw new ConfigSchemaError(
          `'${leaf.path}' reuses env var ${name} of '${owner}'`,
        );
      envOwners.set(name, leaf.path);
    }
  }
  return { leaves, nodes, merged };
}

/** The schema type a service gets: the standard keys merged with its own. */
export type ServiceConfigSchema<S extends ConfigSchema> = MergedSchema<
  StandardConfigSchema,
  S
>;
