import { ConfigKeyError } from './config-error.js';
import type { NormalizedSchema } from './define-config-schema.js';
import type {
  ConfigLeafPath,
  ConfigPath,
  ConfigPathValue,
  ConfigValues,
} from './schema-types.js';

/** What masked values are replaced with in every dump. */
export const MASK = '[sensitive]';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** Methods of a loaded config (non-enumerable: they never show up in dumps). */
export interface ConfigAccessors<S> {
  /** The value at a dotted path (a leaf or a group of keys). Throws `KENOS_ERR_CONFIG_UNKNOWN_KEY` for an unknown path. */
  get<P extends ConfigPath<S>>(path: P): ConfigPathValue<ConfigValues<S>, P>;
  /** Where a leaf's value came from: `default`, `file:config/<env>.yaml`, `secrets:…`, `env:NAME`, `env:NAME_FILE`, `arg:--key`. */
  sourceOf(path: ConfigLeafPath<S>): string;
  /** The values with sensitive ones masked (what `JSON.stringify` prints). */
  toJSON(): unknown;
  /** Pretty JSON of the values, sensitive ones masked. */
  toString(): string;
}

/**
 * A loaded config: the frozen values typed from the schema `S` (already merged
 * with the standard keys), plus {@link ConfigAccessors}. Nested groups mask
 * their sensitive values in `JSON.stringify` and `util.inspect` too.
 */
export type KenosConfig<S> = ConfigValues<S> & ConfigAccessors<S>;

/** Everything known about a loaded config (internal, for describeConfig). */
export interface ConfigState {
  readonly schema: NormalizedSchema;
  readonly values: Readonly<Record<string, unknown>>;
  readonly sources: ReadonlyMap<string, string>;
  readonly sensitive: ReadonlySet<string>;
}

/**
 * Where a config object keeps its state: a global symbol, so that `describeConfig` of one
 * copy of this package (the CLI's) reads a config loaded by another copy (the service's).
 */
const STATE = Symbol.for('@kenos/config.state.v1');

/** The state behind a config object built by loadConfig (internal). */
export function configState(config: object): ConfigState {
  const state = (config as { [STATE]?: ConfigState })[STATE];
  if (!state)
    throw new TypeError('not a config object returned by loadConfig()');
  return state;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

function masked(state: ConfigState, prefix: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(state.values)) {
    if (prefix && !path.startsWith(`${prefix}.`)) continue;
    const rel = prefix ? path.slice(prefix.length + 1) : path;
    const keys = rel.split('.');
    let target = out;
    for (const k of keys.slice(0, -1))
      target = (target[k] ??= {}) as Record<string, unknown>;
    target[keys.at(-1) as string] =
      state.sensitive.has(path) && value !== undefined && value !== null
        ? MASK
        : value;
  }
  return out;
}

function defineHidden(
  obj: object,
  name: string | symbol,
  value: unknown,
): void {
  Object.defineProperty(obj, name, {
    value,
    enumerable: false,
    writable: false,
    configurable: false,
  });
}

function buildNode(
  state: ConfigState,
  prefix: string,
): Record<string, unknown> {
  const node: Record<string, unknown> = {};
  const childKeys = new Set<string>();
  for (const path of [...state.schema.leaves.keys(), ...state.schema.nodes]) {
    if (prefix && !path.startsWith(`${prefix}.`)) continue;
    const rel = prefix ? path.slice(prefix.length + 1) : path;
    childKeys.add(rel.split('.')[0] as string);
  }
  for (const key of childKeys) {
    const path = prefix ? `${prefix}.${key}` : key;
    node[key] = state.schema.nodes.has(path)
      ? buildNode(state, path)
      : deepFreeze(structuredClone(state.values[path]));
  }
  defineHidden(node, 'toJSON', () => masked(state, prefix));
  defineHidden(node, 'toString', () =>
    JSON.stringify(masked(state, prefix), null, 2),
  );
  defineHidden(
    node,
    INSPECT,
    (
      _depth: number,
      options: object,
      inspect: (v: unknown, o: object) => string,
    ) => inspect(masked(state, prefix), options),
  );
  return prefix === '' ? node : Object.freeze(node);
}

/** Builds the frozen config object (internal). */
export function buildConfig<S>(state: ConfigState): KenosConfig<S> {
  const root = buildNode(state, '');
  const get = (path: string): unknown => {
    if (state.schema.leaves.has(path) || state.schema.nodes.has(path))
      return walk(root, path);
    throw new ConfigKeyError(path);
  };
  defineHidden(root, 'get', get);
  defineHidden(root, 'sourceOf', (path: string) => {
    const source = state.sources.get(path);
    if (source === undefined) throw new ConfigKeyError(path);
    return source;
  });
  defineHidden(root, STATE, state);
  return Object.freeze(root) as unknown as KenosConfig<S>;
}

function walk(root: Record<string, unknown>, path: string): unknown {
  let node: unknown = root;
  for (const key of path.split('.'))
    node = (node as Record<string, unknown>)[key];
  return node;
}
