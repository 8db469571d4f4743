import { fileURLToPath } from 'node:url';
import { spawnNode } from '@kenos/testing/process';

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Complete stdout lines (without the newline). */
  lines: string[];
  /** Bytes after the last newline (a torn line if not empty). */
  rest: string;
  stderr: string;
}

/** Runs a fixture of `test/fixtures/` with the current Node (`spawnNode`) and collects its output. */
export async function runFixture(
  fixture: string,
  args: string[] = [],
  env: Record<string, string> = {},
  /** Do not read the child's stdout during the first ms (a slow log collector). */
  pauseStdoutMs = 0,
): Promise<ChildResult> {
  const script = fileURLToPath(
    new URL(`./fixtures/${fixture}`, import.meta.url),
  );
  const proc = spawnNode(script, args, {
    env: { LOG_LEVEL: '', LOG_FORMAT: '', ...env },
  });
  if (pauseStdoutMs > 0) {
    proc.child.stdout?.pause();
    setTimeout(() => proc.child.stdout?.resume(), pauseStdoutMs);
  }
  const timer = setTimeout(() => proc.kill('SIGKILL'), 60_000);
  const { code, signal } = await proc.exited;
  clearTimeout(timer);
  const lines = proc.stdout.split('\n');
  const rest = lines.pop() ?? '';
  return { code, signal, lines, rest, stderr: proc.stderr };
}

/** Asserts-free check that lines are the burst fixture's lines 0..n-1 in order; returns the first problem. */
export function burstProblem(
  lines: string[],
  expected: number,
): string | undefined {
  const records = lines.filter((l) => l.includes('"msg":"line"'));
  if (records.length !== expected)
    return `expected ${expected} lines, got ${records.length}`;
  for (let i = 0; i < records.length; i++) {
    const r = JSON.parse(records[i] as string) as { i: number };
    if (r.i !== i) return `line ${i} carries i=${r.i}`;
  }
  return undefined;
}
