/**
 * Names of the built-in formats (see the docs for what each accepts):
 * `port`, `int`/`integer`, `nat`, `number`, `duration` ("30s" → 30000 ms),
 * `url`, `redis-url` (empty or a `redis://` / `rediss://` URL), `non-empty-string`,
 * `secret` (non-empty and always sensitive),
 * `string`, `boolean`, `array`, `object`, `*` (anything).
 */
export type ConfigFormatName =
  | '*'
  | 'int'
  | 'integer'
  | 'nat'
  | 'number'
  | 'port'
  | 'duration'
  | 'url'
  | 'redis-url'
  | 'non-empty-string'
  | 'secret'
  | 'string'
  | 'boolean'
  | 'array'
  | 'object';

/** A custom validator: throws an Error (its message says what was expected) for a bad value. */
export type ConfigValidator<T = unknown> =
  | ((value: unknown) => asserts value is T)
  | ((value: unknown) => void);

/** What a leaf's `format` may be: a format name, an enum (array of allowed values), a JS constructor or a validator. */
export type ConfigFormat =
  | ConfigFormatName
  | readonly (string | number | boolean)[]
  | StringConstructor
  | NumberConstructor
  | BooleanConstructor
  | ArrayConstructor
  | ObjectConstructor
  | ConfigValidator;

/**
 * One config key (a convict schema property). A node is a leaf when it has a
 * `default` property; `default: undefined` makes the key required (it must come
 * from a file, the secrets file, an env var or an argument).
 */
export interface ConfigLeaf {
  /** The value used when no source sets the key; `undefined` = required. */
  readonly default: unknown;
  /** Format of the value; when omitted, the type of `default`. */
  readonly format?: ConfigFormat;
  /** Description for the docs table. */
  readonly doc?: string;
  /** Environment variable(s) that set the key; the first set one wins. `NAME_FILE` reads the value from a file. */
  readonly env?: string | readonly string[];
  /** Extra command-line argument name (`--name=value`); `--<key.path>=value` always works. */
  readonly arg?: string;
  /** Mask the value everywhere and register it with the logger's scrubber. */
  readonly sensitive?: boolean;
  /** Accept `null`. */
  readonly nullable?: boolean;
}

/** A config schema: nested objects whose leaves are {@link ConfigLeaf}s. */
export interface ConfigSchema {
  /** A leaf (it has `default`) or a nested group of keys. */
  readonly [key: string]: ConfigLeaf | ConfigSchema;
}

/** Widens literal types of a default value (`'info'` → `string`). */
export type WidenDefault<D> = D extends string
  ? string
  : D extends number
    ? number
    : D extends boolean
      ? boolean
      : D extends readonly (infer E)[]
        ? WidenDefault<E>[]
        : D extends object
          ? { -readonly [K in keyof D]: WidenDefault<D[K]> }
          : unknown;

/** The TypeScript type of a format, given the leaf's default. */
export type FormatType<F, D> = F extends readonly (infer E)[]
  ? E
  : F extends 'port' | 'int' | 'integer' | 'nat' | 'number' | 'duration'
    ? number
    : F extends 'url' | 'redis-url' | 'non-empty-string' | 'secret' | 'string'
      ? string
      : F extends 'boolean'
        ? boolean
        : F extends StringConstructor
          ? string
          : F extends NumberConstructor
            ? number
            : F extends BooleanConstructor
              ? boolean
              : F extends ArrayConstructor | 'array'
                ? D extends readonly unknown[]
                  ? WidenDefault<D>
                  : unknown[]
                : F extends ObjectConstructor | 'object'
                  ? D extends object
                    ? keyof D extends never
                      ? Record<string, unknown>
                      : WidenDefault<D>
                    : Record<string, unknown>
                  : F extends (value: unknown) => asserts value is infer T
                    ? T
                    : WidenDefault<D>;

/** The TypeScript type of one leaf's value. */
export type LeafValue<L> = L extends {
  readonly format: infer F;
  readonly default: infer D;
}
  ? FormatType<F, D> | (L extends { readonly nullable: true } ? null : never)
  : L extends { readonly default: infer D }
    ? WidenDefault<D> | (L extends { readonly nullable: true } ? null : never)
    : never;

/** The (deeply read-only) values type inferred from a schema. */
export type ConfigValues<S> = {
  readonly [K in keyof S]: S[K] extends { readonly default: unknown }
    ? LeafValue<S[K]>
    : ConfigValues<S[K]>;
};

/** Every dotted path of a schema, leaves and nested objects (`'http' | 'http.port' | …`). */
export type ConfigPath<S> = {
  [K in keyof S & string]: S[K] extends { readonly default: unknown }
    ? K
    : K | `${K}.${ConfigPath<S[K]>}`;
}[keyof S & string];

/** Every dotted path of a leaf of a schema (`'http.port' | …`). */
export type ConfigLeafPath<S> = {
  [K in keyof S & string]: S[K] extends { readonly default: unknown }
    ? K
    : `${K}.${ConfigLeafPath<S[K]>}`;
}[keyof S & string];

/** The type of the value at a dotted path of a values type. */
export type ConfigPathValue<
  T,
  P extends string,
> = P extends `${infer H}.${infer R}`
  ? H extends keyof T
    ? ConfigPathValue<T[H], R>
    : never
  : P extends keyof T
    ? T[P]
    : never;

/**
 * The schema a service gets: `Base` (the standard keys) merged with the
 * service's schema `S`. Standard leaves keep their type (a service may only
 * change their default); new keys are added.
 */
export type MergedSchema<Base, S> = {
  readonly [K in keyof Base | keyof S]: K extends keyof Base
    ? K extends keyof S
      ? Base[K] extends { readonly default: unknown }
        ? Base[K]
        : S[K] extends { readonly default: unknown }
          ? Base[K]
          : MergedSchema<Base[K], S[K]>
      : Base[K]
    : K extends keyof S
      ? S[K]
      : never;
};
