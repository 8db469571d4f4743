// Reads an API Extractor report (packages/<name>/api/*.api.md): the package it describes and the
// declarations of its ```ts section, by symbol name, and compares two reports symbol by symbol.

/** A declaration at the start of a line of the report, with or without `export`. */
const DECLARATION =
  /^(export\s+)?(?:declare\s+)?(?:default\s+)?(?:abstract\s+)?(?:const|let|var|function|class|interface|type|enum|namespace|module)\s+([A-Za-z_$][\w$]*)/;
/** `export { A, B as C }`: re-exports of symbols declared elsewhere. */
const REEXPORT = /^export\s+(?:type\s+)?\{([^}]*)\}/;

/**
 * The symbols of one report: `{ packageName, symbols }`, where `symbols` maps each exported name to
 * `{ exported: true, signature }` (overloads joined), and each declaration the report lists without
 * `export` (a type an export refers to) to `{ exported: false, signature }`. Comment lines
 * (`// @public`, `// (undocumented)`, `// Warning: …`) are not part of a signature.
 */
export function parseApiReport(report) {
  const text = report.replace(/\r\n/g, '\n'); // API Extractor writes CRLF line ends
  const packageName = /^## API Report File for "([^"]+)"/m.exec(text)?.[1];
  const code = /^```ts\n([\s\S]*?)^```/m.exec(text)?.[1] ?? '';
  const symbols = new Map();
  const add = (name, exported, lines) => {
    // `export` is not part of the signature: a referenced type that becomes exported is an addition
    const signature = lines
      .filter((line) => !line.trim().startsWith('//'))
      .map((line, i) => (i === 0 ? line.replace(/^export\s+/, '') : line))
      .map((line) => line.trimEnd())
      .join('\n');
    const previous = symbols.get(name);
    symbols.set(name, {
      exported: exported || (previous?.exported ?? false),
      signature: previous ? `${previous.signature}\n${signature}` : signature,
    });
  };
  for (const block of topLevelBlocks(code)) {
    const first = block[0];
    const reexport = REEXPORT.exec(first);
    if (reexport) {
      for (const part of reexport[1].split(',')) {
        const name = part
          .trim()
          .split(/\s+as\s+/)
          .at(-1);
        if (name) add(name, true, [`export { ${part.trim()} }`]);
      }
      continue;
    }
    const declaration = DECLARATION.exec(first);
    if (declaration) add(declaration[2], Boolean(declaration[1]), block);
  }
  return { packageName, symbols };
}

/**
 * The blocks of the report's code: runs of lines that start at column 0 and end where the brackets
 * they open are closed and a blank line follows. Imports are not blocks.
 */
function topLevelBlocks(code) {
  const blocks = [];
  let current;
  let depth = 0;
  for (const line of code.split('\n')) {
    if (current === undefined) {
      if (line.trim() === '' || line.startsWith('//') || /^import\s/.test(line))
        continue;
      current = [];
      depth = 0;
    }
    if (line.trim() === '' && depth <= 0) {
      blocks.push(current);
      current = undefined;
      continue;
    }
    current.push(line);
    depth += bracketBalance(line);
  }
  if (current?.length) blocks.push(current);
  return blocks;
}

/** Opened minus closed brackets of a line, outside string literals. */
function bracketBalance(line) {
  let balance = 0;
  let quote;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '{' || c === '(' || c === '[') balance++;
    else if (c === '}' || c === ')' || c === ']') balance--;
  }
  return balance;
}

/** A member line a declaration may gain without breaking its users: an optional property or method. */
const OPTIONAL_MEMBER = /^\s+(?:readonly\s+)?[A-Za-z_$][\w$]*\?\s*[:(]/;

/**
 * How a symbol changed between two signatures: `extended` when the new signature keeps every line
 * of the old one in order and only adds optional members (`name?: T`), `changed` otherwise.
 */
export function signatureChange(before, after) {
  const old = before.split('\n');
  const next = after.split('\n');
  let i = 0;
  const added = [];
  for (const line of next) {
    if (i < old.length && line === old[i]) i++;
    else added.push(line);
  }
  if (i === old.length && added.every((line) => OPTIONAL_MEMBER.test(line)))
    return 'extended';
  return 'changed';
}

/**
 * The differences between two parsed reports of one entry point, as `{ symbol, change }` with
 * `change` one of `removed` and `changed` (breaking), `added` and `extended` (compatible). A
 * declaration the report lists without `export` only counts when it changed: it is a type an
 * export refers to, so changing it changes that export.
 */
export function compareApiReports(before, after) {
  const changes = [];
  for (const [symbol, old] of before.symbols) {
    const now = after.symbols.get(symbol);
    if (now === undefined || (old.exported && !now.exported)) {
      if (old.exported) changes.push({ symbol, change: 'removed' });
    } else if (now.signature !== old.signature) {
      changes.push({
        symbol,
        change: signatureChange(old.signature, now.signature),
      });
    }
  }
  for (const [symbol, now] of after.symbols) {
    const old = before.symbols.get(symbol);
    if (now.exported && !old?.exported)
      changes.push({ symbol, change: 'added' });
  }
  return changes.sort((a, b) => a.symbol.localeCompare(b.symbol));
}
