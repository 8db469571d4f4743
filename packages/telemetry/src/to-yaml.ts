/** A JSON-like value that {@link toYaml} can write. */
export type YamlValue =
  | string
  | number
  | boolean
  | null
  | readonly YamlValue[]
  | { readonly [key: string]: YamlValue | undefined };

const PLAIN = /^[A-Za-z_/$][A-Za-z0-9_ ./:$-]*$/;
const RESERVED = /^(true|false|yes|no|on|off|null|~|y|n)$/i;

function scalar(value: string | number | boolean | null): string {
  if (value === null) return 'null';
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new TypeError(`cannot write ${value} as YAML`);
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  if (
    PLAIN.test(value) &&
    !RESERVED.test(value) &&
    !value.endsWith(' ') &&
    !value.includes(': ') &&
    !value.includes(' #')
  ) {
    return value;
  }
  return JSON.stringify(value); // a JSON string is a valid YAML double-quoted scalar
}

function isScalar(value: YamlValue): value is string | number | boolean | null {
  return value === null || typeof value !== 'object';
}

function key(k: string): string {
  return PLAIN.test(k) && !RESERVED.test(k) && !k.includes(' ')
    ? k
    : JSON.stringify(k);
}

function block(value: YamlValue, indent: string): string[] {
  if (isScalar(value)) return [`${indent}${scalar(value)}`];
  if (Array.isArray(value)) {
    const items = value as readonly YamlValue[];
    if (items.length === 0) return [`${indent}[]`];
    const out: string[] = [];
    for (const item of items) {
      const lines = block(item, '');
      out.push(
        `${indent}- ${lines[0] ?? ''}`,
        ...lines.slice(1).map((l) => (l === '' ? '' : `${indent}  ${l}`)),
      );
    }
    return out;
  }
  const entries = Object.entries(
    value as Record<string, YamlValue | undefined>,
  ).filter(([, v]) => v !== undefined) as [string, YamlValue][];
  if (entries.length === 0) return [`${indent}{}`];
  const out: string[] = [];
  for (const [k, v] of entries) {
    if (typeof v === 'string' && v.includes('\n')) {
      out.push(
        `${indent}${key(k)}: |-`,
        ...v.split('\n').map((l) => (l === '' ? '' : `${indent}  ${l}`)),
      );
    } else if (isScalar(v)) {
      out.push(`${indent}${key(k)}: ${scalar(v)}`);
    } else if (Array.isArray(v) && v.length === 0) {
      out.push(`${indent}${key(k)}: []`);
    } else if (!Array.isArray(v) && Object.keys(v).length === 0) {
      out.push(`${indent}${key(k)}: {}`);
    } else {
      out.push(
        `${indent}${key(k)}:`,
        ...block(v, Array.isArray(v) ? indent : `${indent}  `),
      );
    }
  }
  return out;
}

/**
 * Writes a JSON-like value as block-style YAML (plain scalars where unambiguous,
 * JSON-quoted otherwise, `|-` blocks for multi-line strings). Enough for Kubernetes
 * manifests and Prometheus rule files; not a general YAML library.
 */
export function toYaml(value: YamlValue): string {
  return `${block(value, '').join('\n')}\n`;
}
