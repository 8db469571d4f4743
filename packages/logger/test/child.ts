import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Complete stdout lines (without the newline). */
  lines: string[];
  /** Bytes after the last newline (a torn line if not empty). */
  rest: string;
  stderr: string;
}

/** Runs a fixture of `test/fixtures/` with the current Node and collects its output. */
export function runFixture(
  fixture: string,
  args: string[] = [],
  env: Record<string, string> = {},
  /** Do not read the child's stdout during the first ms (a slow log collector). */
  pauseStdoutMs = 0,
): Promise<ChildResult> {
  const script = fileURLToPath(new URL(`./fixtures/${fixture}`, import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LOG_LEVEL: '', LOG_FORMAT: '', ...env },
    });
    const lines: string[] = [];
    let rest = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    if (pauseStdoutMs > 0) {
      child.stdout.pause();
      setTimeout(() => child.stdout.resume(), pauseStdoutMs);
    }
    child.stdout.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      for (const p of parts) lines.push(p);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, lines, rest, stderr });
    });
  });
}

/** Asserts-free check that lines are the burst fixture's lines 0..n-1 in order; returns the first problem. */
export function burstProblem(lines: string[], expected: number): string | undefined {
  const records = lines.filter((l) => l.includes('"msg":"line"'));
  if (records.length !== expected) return `expected ${expected} lines, got ${records.length}`;
  for (let i = 0; i < records.length; i++) {
    const r = JSON.parse(records[i] as string) as { i: number };
    if (r.i !== i) return `line ${i} carries i=${r.i}`;
  }
  return undefined;
}
