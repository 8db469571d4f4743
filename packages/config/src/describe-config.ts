import {
  normalizeSchema,
  type NormalizedLeaf,
} from './define-config-schema.js';
import { configState, MASK } from './kenos-config.js';
import type { ConfigSchema } from './schema-types.js';
import { OFF_KUBERNETES_DEFAULTS } from './standard-schema.js';

/** One row of {@link describeConfig}: a key of the effective config. */
export interface ConfigRow {
  /** Dotted key path. */
  readonly key: string;
  /** The value as JSON, or `[sensitive]`. */
  readonly value: string;
  /** Where the value came from (see `sourceOf`). */
  readonly source: string;
  /** The environment variable(s) that set the key, comma-separated; empty when none. */
  readonly env: string;
  /** Whether the value is masked. */
  readonly sensitive: boolean;
}

function show(value: unknown, sensitive: boolean): string {
  if (sensitive && value !== undefined && value !== null && value !== '')
    return MASK;
  return value === undefined ? '' : JSON.stringify(value);
}

/**
 * The effective config, key by key, with the source of every value and
 * sensitive values masked: what `kenos config print` shows.
 */
export function describeConfig(config: object): ConfigRow[] {
  const state = configState(config);
  return [...state.schema.leaves.values()].map((leaf) => {
    const sensitive = state.sensitive.has(leaf.path);
    return {
      key: leaf.path,
      value: show(state.values[leaf.path], sensitive),
      source: state.sources.get(leaf.path) ?? 'default',
      env: leaf.env.join(', '),
      sensitive,
    };
  });
}

const cell = (text: string): string =>
  text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (text: string): string => (text === '' ? '' : `\`${text}\``);

function defaultCell(leaf: NormalizedLeaf): string {
  if (leaf.required) return '*required*';
  if (leaf.sensitive && leaf.default !== '' && leaf.default !== null)
    return MASK;
  const shown = code(JSON.stringify(leaf.default) ?? '');
  const offKubernetes = OFF_KUBERNETES_DEFAULTS[leaf.path];
  return offKubernetes !== undefined
    ? `${shown} on Kubernetes, ${code(JSON.stringify(offKubernetes))} elsewhere`
    : shown;
}

/**
 * A Markdown reference table of every key of a service's config (the standard
 * keys included): key, format, default, env var, description, sensitive.
 * What `kenos config docs` writes. The table starts with its header row and
 * ends with a newline.
 */
export function configDocs(schema: ConfigSchema): string {
  const { leaves } = normalizeSchema(schema);
  const rows = [
    '| Key | Format | Default | Env var | Description | Sensitive |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const leaf of leaves.values()) {
    const label = leaf.formatLabel + (leaf.nullable ? ' or null' : '');
    rows.push(
      `| ${[
        code(leaf.path),
        label.includes('"') ? label : code(label),
        defaultCell(leaf),
        leaf.env.map(code).join(', '),
        leaf.doc,
        leaf.sensitive ? 'yes' : '',
      ]
        .map(cell)
        .join(' | ')} |`,
    );
  }
  return `${rows.join('\n')}\n`;
}
