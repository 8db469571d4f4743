import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMarkdown, readDoc, ROOT, userDocs } from './markdown.mjs';

/** Directories a link must not point into: built or installed, not part of the repository. */
const NOT_IN_REPOSITORY = new Set(['node_modules', 'dist', 'test-output']);

/** Every problem of the links of `file`: a target outside the root, missing, or an anchor without its heading. */
function linkProblems(file) {
  const problems = [];
  const here = readDoc(file);
  for (const { target, line } of here.links) {
    const at = `${file}:${line} → ${target}`;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:: not a file of the repository
    const [pathPart = '', anchor] = target.split('#');
    const path = decodeURIComponent(pathPart);
    if (path.startsWith('/')) {
      problems.push(`${at}: an absolute path; link relative to the file`);
      continue;
    }
    const abs =
      path === '' ? join(ROOT, file) : resolve(ROOT, dirname(file), path);
    const rel = relative(ROOT, abs);
    if (rel.startsWith('..') || isAbsolute(rel)) {
      problems.push(`${at}: outside the repository`);
      continue;
    }
    if (rel.split(sep).some((part) => NOT_IN_REPOSITORY.has(part))) {
      problems.push(
        `${at}: a built or installed file, not one of the repository`,
      );
      continue;
    }
    if (!existsSync(abs)) {
      problems.push(`${at}: no such file`);
      continue;
    }
    if (
      anchor === undefined ||
      anchor === '' ||
      !abs.endsWith('.md') ||
      statSync(abs).isDirectory()
    )
      continue;
    const anchors =
      path === ''
        ? here.anchors
        : parseMarkdown(readFileSync(abs, 'utf8')).anchors;
    if (!anchors.has(decodeURIComponent(anchor)))
      problems.push(`${at}: no heading with the anchor #${anchor}`);
  }
  return problems;
}

describe('the links of the user docs', () => {
  const docs = userDocs();

  it('cover the README, docs/, and the README of every package and example', () => {
    for (const file of [
      'README.md',
      'docs/cli.md',
      'docs/architecture.md',
      'packages/cli/README.md',
      'examples/greeter/README.md',
    ])
      expect(docs).toContain(file);
  });

  it('resolve to files inside the repository, and their anchors to headings of the file', () => {
    expect(docs.flatMap(linkProblems)).toEqual([]);
  });

  it('never point at the platform team’s shared folder, which a user of the repository does not have', () => {
    const mentions = docs.flatMap((file) =>
      readFileSync(join(ROOT, file), 'utf8')
        .split('\n')
        .flatMap((text, i) =>
          /\/shared\/|shared folder/i.test(text) ? [`${file}:${i + 1}`] : [],
        ),
    );
    expect(mentions).toEqual([]);
  });
});

describe('parseMarkdown', () => {
  it('finds links and GitHub anchors outside code, and ignores them inside code', () => {
    const md = [
      '# `kenos config`: print it',
      'See [a](b.md#c) and `[not](x.md)`.',
      '```md',
      '[not](y.md)',
      '# not a heading',
      '```',
      '## Again',
      '## Again',
      '[ref]: ../z.md',
    ].join('\n');
    const { links, anchors } = parseMarkdown(md);
    expect(links.map((l) => l.target)).toEqual(['b.md#c', '../z.md']);
    expect([...anchors]).toEqual(['kenos-config-print-it', 'again', 'again-1']);
  });
});
