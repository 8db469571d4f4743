import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  Scalar,
  type Document,
} from 'yaml';

type Node = Document['contents'];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Write every leaf of `values` into the scalar at the same path of `node`,
 * keeping comments, key order and scalar styles. False (nothing reliable
 * written) when the shapes differ or the YAML uses aliases or complex keys.
 */
function overlay(
  node: Node,
  values: unknown,
  skipTopKey: string | undefined,
): boolean {
  if (isMap(node)) {
    if (!isPlainObject(values)) return false;
    let seen = 0;
    for (const pair of node.items) {
      if (!isScalar(pair.key)) return false;
      const key = String(pair.key.value);
      if (key === skipTopKey) continue;
      if (!Object.hasOwn(values, key)) return false;
      seen++;
      const child = values[key];
      if (pair.value === null || pair.value === undefined) {
        if (typeof child === 'object' && child !== null) return false;
        pair.value = new Scalar(child);
        continue;
      }
      if (!overlay(pair.value as Node, child, undefined)) return false;
    }
    return seen === Object.keys(values).length;
  }
  if (isSeq(node)) {
    if (!Array.isArray(values) || values.length !== node.items.length)
      return false;
    for (let i = 0; i < values.length; i++) {
      const item = node.items[i];
      if (item === null || item === undefined) {
        if (typeof values[i] === 'object' && values[i] !== null) return false;
        node.items[i] = new Scalar(values[i]);
      } else if (!overlay(item as Node, values[i], undefined)) {
        return false;
      }
    }
    return true;
  }
  if (isScalar(node) && !isAlias(node)) {
    if (typeof values === 'object' && values !== null) return false;
    node.value = values;
    return true;
  }
  return false;
}

/**
 * Re-render YAML `text` with its leaves replaced by `values` (a document
 * without the metadata key) and the metadata key set to `metadata` (or
 * removed when undefined), so comments and layout survive encryption,
 * decryption and edits. Undefined when the text cannot be overlaid.
 */
export function overlayYaml(
  text: string,
  values: Record<string, unknown>,
  metadataKey: string,
  metadata: unknown,
): string | undefined {
  const doc = parseDocument(text);
  if (doc.errors.length > 0 || !isMap(doc.contents)) return undefined;
  if (!overlay(doc.contents, values, metadataKey)) return undefined;
  if (metadata === undefined) doc.delete(metadataKey);
  else doc.set(metadataKey, doc.createNode(metadata));
  return doc.toString({ lineWidth: 0 });
}
