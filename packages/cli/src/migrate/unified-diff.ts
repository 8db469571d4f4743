/** Lines of context around each change, as `diff -u`. */
const CONTEXT = 3;

type Op = readonly ['=' | '-' | '+', string];

/** `text` split in lines, the last one without its newline marked as `diff` does. */
function lines(text: string): string[] {
  if (text === '') return [];
  const out = text.split('\n');
  if (out[out.length - 1] === '') out.pop();
  else out[out.length - 1] += '\n\\ No newline at end of file';
  return out;
}

/** The line edit script from `a` to `b`: common prefix and suffix, a longest common subsequence between. */
function editScript(a: readonly string[], b: readonly string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const n = endA - start;
  const m = endB - start;
  // lcs[i][j]: length of the longest common subsequence of a[start+i..endA) and b[start+j..endB)
  const lcs = new Uint32Array((n + 1) * (m + 1));
  const at = (i: number, j: number): number => lcs[i * (m + 1) + j] as number;
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i * (m + 1) + j] =
        a[start + i] === b[start + j]
          ? at(i + 1, j + 1) + 1
          : Math.max(at(i + 1, j), at(i, j + 1));
  const ops: Op[] = a.slice(0, start).map((l) => ['=', l] as const);
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[start + i] === b[start + j]) {
      ops.push(['=', a[start + i] as string]);
      i++;
      j++;
    } else if (i < n && (j === m || at(i + 1, j) >= at(i, j + 1))) {
      ops.push(['-', a[start + i] as string]);
      i++;
    } else {
      ops.push(['+', b[start + j] as string]);
      j++;
    }
  }
  for (const l of a.slice(endA)) ops.push(['=', l]);
  return ops;
}

const range = (first: number, count: number): string =>
  count === 1 ? `${first}` : `${count === 0 ? first - 1 : first},${count}`;

/**
 * A unified diff (`diff -u`, three lines of context) of a file from `before` to `after`;
 * `undefined` stands for a file that does not exist (created or deleted, `/dev/null`).
 * The empty string when the contents are equal.
 */
export function unifiedDiff(
  path: string,
  before: string | undefined,
  after: string | undefined,
): string {
  if (before === after) return '';
  const ops = editScript(lines(before ?? ''), lines(after ?? ''));
  const changed = ops.flatMap((op, k) => (op[0] === '=' ? [] : [k]));
  let out = `--- ${before === undefined ? '/dev/null' : `a/${path}`}\n+++ ${after === undefined ? '/dev/null' : `b/${path}`}\n`;
  let k = 0;
  while (k < changed.length) {
    const from = Math.max(0, (changed[k] as number) - CONTEXT);
    let to = (changed[k] as number) + CONTEXT + 1;
    while (k + 1 < changed.length && (changed[k + 1] as number) <= to + CONTEXT)
      to = (changed[++k] as number) + CONTEXT + 1;
    k++;
    to = Math.min(to, ops.length);
    let lineA = 1;
    let lineB = 1;
    for (const [op] of ops.slice(0, from)) {
      if (op !== '+') lineA++;
      if (op !== '-') lineB++;
    }
    const hunk = ops.slice(from, to);
    const countA = hunk.filter(([op]) => op !== '+').length;
    const countB = hunk.filter(([op]) => op !== '-').length;
    out += `@@ -${range(lineA, countA)} +${range(lineB, countB)} @@\n`;
    for (const [op, line] of hunk) out += `${op === '=' ? ' ' : op}${line}\n`;
  }
  return out;
}
