// Reads the repository's user docs: their links, their headings (as GitHub anchors) and their
// shell examples, with the `<!-- not-run: reason -->` marks of the examples a test must not run.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Languages of the fenced blocks that are shell examples. */
const SHELL = new Set(['sh', 'bash', 'shell']);

/** The user docs, relative to the root: README.md, docs/*.md, packages/*\/README.md, examples/*\/README.md. */
export function userDocs() {
  const md = (dir) =>
    readdirSync(join(ROOT, dir))
      .filter((name) => name.endsWith('.md'))
      .map((name) => `${dir}/${name}`);
  const readmes = (dir) =>
    readdirSync(join(ROOT, dir), { withFileTypes: true })
      .filter(
        (e) =>
          e.isDirectory() && existsSync(join(ROOT, dir, e.name, 'README.md')),
      )
      .map((e) => `${dir}/${e.name}/README.md`);
  return [
    'README.md',
    ...md('docs'),
    ...readmes('packages'),
    ...readmes('examples'),
  ].sort();
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens. */
export function headingSlug(text) {
  return text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`/g, '')
    .replace(/\*\*/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/**
 * The links, anchors and shell examples of one Markdown text. Links and headings inside fenced
 * blocks and inline code are not links; a shell block preceded (blank lines aside) by
 * `<!-- not-run: reason -->` carries that reason.
 */
export function parseMarkdown(text) {
  const lines = text.split('\n');
  const links = [];
  const anchors = new Set();
  const seen = new Map();
  const shellBlocks = [];
  let fence;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (fence !== undefined) {
      if (
        line.trimStart().startsWith(fence.marker) &&
        line.trim() === line.trim().replace(/[^`~]/g, '')
      ) {
        if (fence.block !== undefined) shellBlocks.push(fence.block);
        fence = undefined;
      } else if (fence.block !== undefined) fence.block.code += `${line}\n`;
      continue;
    }
    const open = /^\s*(`{3,}|~{3,})\s*([\w-]*)/.exec(line);
    if (open) {
      const block = SHELL.has(open[2])
        ? { line: i + 1, code: '', notRun: notRunReason(lines, i) }
        : undefined;
      fence = { marker: open[1], block };
      continue;
    }
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const base = headingSlug(heading[1]);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      anchors.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const m of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g))
      anchors.add(m[1]);
    const prose = line.replace(/`+[^`]*`+/g, '');
    for (const m of prose.matchAll(
      /\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g,
    ))
      links.push({ target: m[1], line: i + 1 });
    const ref = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/.exec(prose);
    if (ref) links.push({ target: ref[1], line: i + 1 });
  }
  return { links, anchors, shellBlocks };
}

/** The reason of a `<!-- not-run: reason -->` on the last non-blank line before line `index`. */
function notRunReason(lines, index) {
  for (let j = index - 1; j >= 0; j--) {
    if (lines[j].trim() === '') continue;
    const m = /^<!--\s*not-run:(.*?)-->\s*$/.exec(lines[j].trim());
    return m ? m[1].trim() : undefined;
  }
  return undefined;
}

/** Reads and parses a user doc given relative to the root. */
export function readDoc(file) {
  return parseMarkdown(readFileSync(join(ROOT, file), 'utf8'));
}
