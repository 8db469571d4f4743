// The error convention, checked against docs/errors.md for the whole repository: every package
// entry point exports one code union (`<Name>ErrorCode`, read from the sources with the
// TypeScript compiler), every code of every union has a row in docs/errors.md, and every row
// names a code that a package union or a tool (tools/scripts, tools/bench, the generator, plain
// JavaScript without types: read as text) really has.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = new URL('../../../', import.meta.url).pathname;
const CODE = /KENOS_ERR_[A-Z0-9_]+/g;

/** `feature-flags` → `FeatureFlags`. */
const pascal = (name) =>
  name.replace(/(^|-)([a-z0-9])/g, (_, _dash, c) => c.toUpperCase());

function filesUnder(dir, keep) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && keep(e.name))
    .map((e) => join(e.parentPath, e.name))
    .filter(
      (f) => !/[/\\](node_modules|dist|test-output|results)[/\\]/.test(f),
    );
}

const isSource = (name) =>
  name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts');

/** The codes documented in docs/errors.md: code → how many rows name it. */
function documentedCodes() {
  const rows = new Map();
  for (const line of readFileSync(join(root, 'docs/errors.md'), 'utf8').split(
    '\n',
  )) {
    const match = /^\| `(KENOS_ERR_[A-Z0-9_]+)` \|/.exec(line);
    if (match) rows.set(match[1], (rows.get(match[1]) ?? 0) + 1);
  }
  return rows;
}

/**
 * Every TypeScript entry point of every package (from `exports` in package.json): its label
 * (`@kenos/crypto/kms-local`), its source file, the prefix of its codes and the names the
 * convention gives its error class and code union.
 */
function entryPoints() {
  const entries = [];
  for (const dir of readdirSync(join(root, 'packages'))) {
    const manifest = join(root, 'packages', dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
    for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
      const types =
        typeof target === 'object' && target !== null
          ? target.types
          : undefined;
      if (typeof types !== 'string') continue;
      const source = join(
        root,
        'packages',
        dir,
        types.replace(/^\.\/dist\//, 'src/').replace(/\.d\.ts$/, '.ts'),
      );
      const name = subpath === '.' ? dir : subpath.slice(2);
      // a subpath that re-exports its package's error class shares the package's convention
      const sharesPackageErrors =
        subpath !== '.' &&
        readFileSync(source, 'utf8').includes(`${pascal(dir)}ErrorCode`);
      const owner = sharesPackageErrors ? dir : name;
      entries.push({
        label: subpath === '.' ? pkg.name : `${pkg.name}/${name}`,
        main: subpath === '.',
        dir,
        source,
        prefix: `KENOS_ERR_${owner.toUpperCase().replaceAll('-', '_')}_`,
        className: `${pascal(owner)}Error`,
      });
    }
  }
  return entries;
}

/** The exported `…ErrorCode` unions and class names of each entry point, read with the TypeScript checker. */
function exportedUnions(entries) {
  const rootNames = entries.flatMap((e) =>
    filesUnder(join(root, 'packages', e.dir, 'src'), isSource),
  );
  const program = ts.createProgram([...new Set(rootNames)], {
    noResolve: true,
    noLib: true,
    types: [],
    allowJs: false,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
  });
  const checker = program.getTypeChecker();
  return entries.map((entry) => {
    const file = program.getSourceFile(entry.source);
    if (!file)
      throw new Error(
        `${entry.label}: entry point ${relative(root, entry.source)} not found`,
      );
    const moduleSymbol = checker.getSymbolAtLocation(file);
    const exports = moduleSymbol
      ? checker.getExportsOfModule(moduleSymbol)
      : [];
    const names = new Set(exports.map((s) => s.getName()));
    const unions = new Map();
    for (const symbol of exports) {
      if (!symbol.getName().endsWith('ErrorCode')) continue;
      const target =
        symbol.flags & ts.SymbolFlags.Alias
          ? checker.getAliasedSymbol(symbol)
          : symbol;
      const declaration = target.declarations?.find(ts.isTypeAliasDeclaration);
      if (!declaration) continue;
      const type = checker.getTypeAtLocation(declaration.name);
      const members = type.isUnion() ? type.types : [type];
      unions.set(
        symbol.getName(),
        members.filter((t) => t.isStringLiteral()).map((t) => t.value),
      );
    }
    return { ...entry, names, unions };
  });
}

/** `KENOS_ERR_*` codes written in the files (a trailing `_` is a prefix in prose, not a code): code → files. */
function codesIn(files) {
  const found = new Map();
  for (const file of files) {
    for (const [code] of readFileSync(file, 'utf8').matchAll(CODE)) {
      if (code.endsWith('_')) continue;
      if (!found.has(code)) found.set(code, new Set());
      found.get(code).add(relative(root, file));
    }
  }
  return found;
}

const documented = documentedCodes();
const packages = exportedUnions(entryPoints());
const unionCodes = new Map(); // code → `@kenos/x (XErrorCode)`
for (const entry of packages) {
  for (const [union, codes] of entry.unions) {
    for (const code of codes) unionCodes.set(code, `${entry.label} (${union})`);
  }
}
// Tools are plain JavaScript without types: their codes are the literals in their sources.
const toolCodes = codesIn([
  ...filesUnder(join(root, 'tools/scripts'), (n) => /\.(mjs|js)$/.test(n)),
  ...filesUnder(
    join(root, 'tools/bench'),
    (n) => /\.(mjs|js|sh)$/.test(n) && !/\.test\.mjs$/.test(n),
  ),
  ...filesUnder(join(root, 'tools/workspace-plugin/src'), (n) =>
    n.endsWith('.cjs'),
  ),
]);

describe('error codes: the code unions of the packages and the tools match docs/errors.md', () => {
  it('every package entry point exports its one error class and code union (<Name>Error, <Name>ErrorCode)', () => {
    const missing = [];
    for (const entry of packages) {
      if (!entry.main && entry.unions.size === 0) continue; // a subpath may share the package's errors
      for (const name of [entry.className, `${entry.className}Code`]) {
        if (!entry.names.has(name))
          missing.push(`${entry.label} does not export ${name}`);
      }
      const file = entry.main ? `src/${entry.dir}-error.ts` : null;
      if (file && !existsSync(join(root, 'packages', entry.dir, file))) {
        missing.push(`${entry.label} has no ${file}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('every code of a package union has the prefix of its package and a row in docs/errors.md', () => {
    const problems = [];
    for (const entry of packages) {
      for (const [union, codes] of entry.unions) {
        for (const code of codes) {
          if (!code.startsWith(entry.prefix))
            problems.push(
              `${code} of ${entry.label} (${union}) does not start with ${entry.prefix}`,
            );
          if (!documented.has(code))
            problems.push(
              `${code} of ${entry.label} (${union}) has no row in docs/errors.md`,
            );
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('every code a tool uses has a row in docs/errors.md', () => {
    const undocumented = [...toolCodes]
      .filter(([code]) => !documented.has(code))
      .map(
        ([code, files]) =>
          `${code} of ${[...files].join(', ')} has no row in docs/errors.md`,
      );
    expect(undocumented).toEqual([]);
  });

  it('every code in docs/errors.md belongs to a package union or a tool, and has one row', () => {
    const problems = [];
    for (const [code, rows] of documented) {
      if (!unionCodes.has(code) && !toolCodes.has(code))
        problems.push(
          `${code} is documented but no package union or tool has it`,
        );
      if (rows > 1) problems.push(`${code} has ${rows} rows`);
    }
    expect(problems).toEqual([]);
  });

  it('every code written in the sources of the packages and examples is in a package union', () => {
    const sources = [
      ...filesUnder(join(root, 'packages'), isSource),
      ...filesUnder(join(root, 'examples'), isSource),
    ].filter((f) => !/[/\\]test[/\\]/.test(f));
    const stray = [...codesIn(sources)]
      .filter(([code]) => !unionCodes.has(code))
      .map(
        ([code, files]) =>
          `${code} in ${[...files].join(', ')} is in no package's code union`,
      );
    expect(stray).toEqual([]);
  });
});
