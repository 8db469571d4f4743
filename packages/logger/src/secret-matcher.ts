import { createLiteralSearch } from './literal-search.js';
import { anchorOf, base64Forms, textFormsPattern } from './secret-forms.js';

/** Scrubs every form of a fixed set of secret values from a serialized line. */
export interface SecretMatcher {
  scrub(line: string, replacement: string): string;
}

interface Alternation {
  readonly test: RegExp;
  readonly replace: RegExp;
}

function alternation(values: readonly string[]): Alternation | undefined {
  if (values.length === 0) return undefined;
  // at a given position the first alternative that matches wins: longest value first
  const source = [...values]
    .sort((a, b) => b.length - a.length)
    .map(textFormsPattern)
    .join('|');
  return { test: new RegExp(source), replace: new RegExp(source, 'g') };
}

function replaceWith(
  a: Alternation | undefined,
  line: string,
  replacement: string,
): string {
  return a !== undefined && a.test.test(line)
    ? line.replace(a.replace, replacement)
    : line;
}

/**
 * Builds the matcher for `values`, once per set of values (all the work of finding the forms is
 * done here).
 *
 * One pass through the line (see literal-search.ts) replaces the stable cores of the values' base64
 * forms and notes whether the line holds a value's anchor: its longest run of characters no
 * encoding changes, which every text form holds as it is. Only a line holding an anchor goes
 * through the regular expression of the values' text forms (per-character alternatives: run on
 * every line, it would cost several times the plain alternation of the values). Values with no
 * anchor (no run of 6 such characters, e.g. `p@$$w0rd!`) are matched by their own alternation on
 * every line, after the others (such a value cannot contain one with an anchor).
 */
export function createSecretMatcher(values: Iterable<string>): SecretMatcher {
  const anchored: string[] = [];
  const unanchored: string[] = [];
  const anchors: string[] = [];
  for (const value of values) {
    const anchor = anchorOf(value);
    if (anchor === undefined) {
      unanchored.push(value);
    } else {
      anchored.push(value);
      anchors.push(anchor);
    }
  }
  const search = createLiteralSearch(
    [...anchored, ...unanchored].flatMap(base64Forms),
    anchors,
  );
  const text = alternation(anchored);
  const always = alternation(unanchored);
  return {
    scrub(line, replacement) {
      let out = line;
      if (search !== undefined) {
        out = search.replaceAll(line, replacement);
        if (search.sawMarker) out = replaceWith(text, out, replacement);
      }
      return replaceWith(always, out, replacement);
    },
  };
}
