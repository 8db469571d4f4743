/**
 * The forms a secret value takes on its way through a server into a serialized (JSON) log line,
 * as regular-expression sources and literals. They are computed once, when the value is
 * registered, so that the work per line does not grow with their number.
 *
 * Text forms, per character (a secret may mix them, e.g. a path some of whose characters a client
 * encoded), at one of two levels:
 * 1. the text holds the characters, and the line JSON-escapes the text: the character as JSON
 *    writes it (`"` as `\"`, `\` as `\\`, control characters); outside `A–Z a–z 0–9 - . _ ~`,
 *    its UTF-8 bytes percent-encoded in upper- or lower-case hex (`encodeURIComponent`,
 *    `encodeURI`, which leaves `/`, `+`, `=`, `$` as they are, and any client that encodes a
 *    different set); a space also as `+` (form encoding), a backslash also as `/` (the WHATWG URL
 *    parser turns it into one in an http(s) path);
 * 2. the text is JSON holding the value (a logged request or response body), escaped once more by
 *    the line: `"` as `\\\"`, `\` as `\\\\`; a non-ASCII or control character, `<`, `>`,
 *    `&`, `'` or `"` also as a `\uXXXX` escape (ASCII-only and HTML-safe JSON encoders), upper- or
 *    lower-case hex; percent-encoding as in 1.
 * At each level the forms of one character are prefix-free (none is the beginning of another), so
 * a value's pattern matches along one path only: no backtracking, whatever the line holds.
 *
 * And, as separate literals, the base64 and base64url encodings of the value's UTF-8 bytes (HTTP
 * Basic credentials, tokens): embedded in a longer encoded text, the value starts at one of three
 * bit alignments, and for each only the characters made of the value's bits alone are stable; those
 * stable cores are matched (the one or two characters at each edge that mix in neighbouring bytes
 * are left).
 */

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
const UNRESERVED_RUNS = /[A-Za-z0-9\-._~]+/g;

/** The shortest anchor {@link anchorOf} returns. */
export const ANCHOR_MIN_LENGTH = 6;
/** ASCII characters HTML-safe JSON encoders write as `\uXXXX`. */
const HTML_ESCAPED = new Set(['<', '>', '&', "'", '"']);

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** The inside of a JSON string holding `text`. */
function jsonInner(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/** Hex digits, letters in either case: `2f` → `2[Ff]`. */
function anyCaseHex(hex: string): string {
  return hex.replace(
    /[a-f]/gi,
    (d) => `[${d.toUpperCase()}${d.toLowerCase()}]`,
  );
}

function percentEncoded(ch: string): string {
  return [...Buffer.from(ch, 'utf8')]
    .map((byte) => `%${anyCaseHex(byte.toString(16).padStart(2, '0'))}`)
    .join('');
}

/** `\uXXXX` for each UTF-16 unit of `ch`, as the line writes it (its backslash escaped). */
function unicodeEscaped(ch: string): string {
  let source = '';
  for (let i = 0; i < ch.length; i++) {
    source += `\\\\\\\\u${anyCaseHex(ch.charCodeAt(i).toString(16).padStart(4, '0'))}`;
  }
  return source;
}

/**
 * Regex source matching every form of one character (a code point) at one level in a JSON line;
 * the forms are prefix-free.
 */
function characterForms(ch: string, level: 1 | 2): string {
  const once = jsonInner(ch);
  const code = ch.charCodeAt(0);
  const unicode =
    level === 2 && (code > 0x7e || code < 0x20 || HTML_ESCAPED.has(ch));
  const forms = new Set<string>();
  // a character JSON writes as \uXXXX already is covered, in either hex case, by unicodeEscaped
  if (!(unicode && once.startsWith('\\u')))
    forms.add(escapeRegExp(level === 1 ? once : jsonInner(once)));
  if (unicode) forms.add(unicodeEscaped(ch));
  if (!UNRESERVED.test(ch)) forms.add(percentEncoded(ch));
  if (ch === ' ') forms.add('\\+');
  // URL parsing (WHATWG, http and https) turns a backslash in a path into a slash
  if (ch === '\\') forms.add('\\/');
  return forms.size === 1
    ? ([...forms][0] as string)
    : `(?:${[...forms].join('|')})`;
}

/** The stable cores of the base64 encodings of `bytes` at the three bit alignments. */
function base64Cores(bytes: Buffer): string[] {
  const cores: string[] = [];
  for (let pad = 0; pad < 3; pad++) {
    const encoded = Buffer.concat([Buffer.alloc(pad), bytes]).toString(
      'base64',
    );
    // character i holds bits [6i, 6i + 6); the value's bits are [8 pad, 8 pad + 8 n)
    const first = Math.ceil((8 * pad) / 6);
    const end = Math.floor((8 * (pad + bytes.length)) / 6);
    cores.push(encoded.slice(first, end));
  }
  return cores;
}

/**
 * One regular-expression source matching `value` in a JSON line, at either level, in every mix of
 * its per-character forms (see the file comment).
 */
export function textFormsPattern(value: string): string {
  const characters = [...value];
  const direct = characters.map((ch) => characterForms(ch, 1)).join('');
  const inJson = characters.map((ch) => characterForms(ch, 2)).join('');
  return direct === inJson ? direct : `(?:${direct}|${inJson})`;
}

/** The stable cores of the base64 and base64url encodings of `value`'s UTF-8 bytes. */
export function base64Forms(value: string): string[] {
  const forms = new Set<string>();
  for (const core of base64Cores(Buffer.from(value, 'utf8'))) {
    forms.add(core);
    forms.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...forms];
}

/**
 * The longest run of characters that no form changes (`A–Z a–z 0–9 - . _ ~`), which every text
 * form of `value` therefore holds as it is; undefined when it is shorter than
 * {@link ANCHOR_MIN_LENGTH}.
 */
export function anchorOf(value: string): string | undefined {
  let longest = '';
  for (const run of value.match(UNRESERVED_RUNS) ?? [])
    if (run.length > longest.length) longest = run;
  return longest.length >= ANCHOR_MIN_LENGTH ? longest : undefined;
}
