/**
 * Finds many literal strings in a text in one pass, with a shift table over blocks of three
 * characters (Wu–Manber). Wherever the text holds none of the strings, the search moves by about as
 * many characters as the shortest string is long, whatever their number; a regular-expression
 * alternation of dozens of random-looking strings (the base64 forms of secrets) cannot skip start
 * positions and costs several microseconds per log line.
 */
export interface LiteralSearch {
  /**
   * `text` with every occurrence of every replaced literal (leftmost first, then longest) replaced
   * by `replacement`. Afterwards {@link LiteralSearch.sawMarker} tells whether the text held a marker.
   */
  replaceAll(text: string, replacement: string): string;
  /** Whether the text of the last {@link LiteralSearch.replaceAll} held any marker literal. */
  readonly sawMarker: boolean;
}

/** Every literal must be at least this long (the block the shift table hashes). */
export const LITERAL_MIN_LENGTH = 3;

const TABLE_BITS = 15;
const MASK = (1 << TABLE_BITS) - 1;

function blockHash(text: string, end: number): number {
  return (
    (text.charCodeAt(end - 2) * 961 +
      text.charCodeAt(end - 1) * 31 +
      text.charCodeAt(end)) &
    MASK
  );
}

interface Candidate {
  readonly literal: string;
  readonly marker: boolean;
}

/**
 * Builds the search for `replaced` literals, which it replaces, and `markers`, whose presence it
 * only notes (literals shorter than {@link LITERAL_MIN_LENGTH} are ignored); undefined when none is
 * left.
 */
export function createLiteralSearch(
  replaced: Iterable<string>,
  markers: Iterable<string> = [],
): LiteralSearch | undefined {
  const all = new Map<string, Candidate>();
  for (const literal of markers) all.set(literal, { literal, marker: true });
  for (const literal of replaced) all.set(literal, { literal, marker: false });
  const unique = [...all.values()]
    .filter((c) => c.literal.length >= LITERAL_MIN_LENGTH)
    .sort((a, b) => b.literal.length - a.literal.length);
  if (unique.length === 0) return undefined;
  // m: the window every literal fills; a literal may start where the window starts only if the
  // block that ends the window is the last block of some literal's first m characters
  const m = Math.min(...unique.map((c) => c.literal.length));
  const shift = new Uint8Array(MASK + 1).fill(Math.min(m - 2, 255));
  const candidates = new Map<number, Candidate[]>();
  for (const c of unique) {
    for (let end = 2; end < m; end++) {
      const h = blockHash(c.literal, end);
      shift[h] = Math.min(shift[h] as number, m - 1 - end);
    }
    const h = blockHash(c.literal, m - 1);
    const list = candidates.get(h);
    if (list) list.push(c);
    else candidates.set(h, [c]);
  }

  const search = {
    sawMarker: false,
    replaceAll(text: string, replacement: string): string {
      search.sawMarker = false;
      const n = text.length;
      let out = '';
      let last = 0;
      let end = m - 1;
      while (end < n) {
        const h = blockHash(text, end);
        const s = shift[h] as number;
        if (s !== 0) {
          end += s;
          continue;
        }
        const start = end - m + 1;
        let length = 0;
        // longest first: the first replaced literal that matches is the one to replace
        for (const c of candidates.get(h) as Candidate[]) {
          if (!text.startsWith(c.literal, start)) continue;
          if (c.marker) {
            search.sawMarker = true;
          } else {
            length = c.literal.length;
            break;
          }
        }
        if (length === 0) {
          end += 1;
          continue;
        }
        out += text.slice(last, start) + replacement;
        last = start + length;
        end = last + m - 1;
      }
      return last === 0 ? text : out + text.slice(last);
    },
  };
  return search;
}
