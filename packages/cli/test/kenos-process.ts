import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The built CLI entry, run as a real child process with the Node running the tests. */
export const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
/** The committed bin shim npm links as `kenos`. */
export const SHIM = fileURLToPath(new URL('../bin/kenos.js', import.meta.url));

export interface KenosResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface KenosOptions {
  input?: string | Buffer;
  env?: Record<string, string>;
  cwd?: string;
  bin?: string;
}

/** A minimal environment: no AWS settings or credentials of the machine leak in. */
function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '',
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    ...extra,
  };
}

/** `node bin/kenos.js ...args` with every stdio stream piped. */
function spawnKenos(args: string[], options: KenosOptions) {
  return spawn(process.execPath, [options.bin ?? BIN, ...args], {
    cwd: options.cwd,
    env: childEnv(options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Starts `kenos ...args`; the caller collects output and waits for `exited`. */
export function startKenos(
  args: string[],
  options: KenosOptions = {},
): {
  child: ChildProcess;
  exited: Promise<KenosResult>;
  firstLine: Promise<string>;
} {
  const child = spawnKenos(args, options);
  let stdout = '';
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  if (child.stdout === null) throw new Error('no stdout pipe');
  const lines = createInterface({ input: child.stdout });
  const firstLine = new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', () =>
      reject(
        new Error(`kenos exited before printing a line; stderr: ${stderr}`),
      ),
    );
  });
  lines.on('line', (line) => (stdout += `${line}\n`));
  const exited = new Promise<KenosResult>((resolve) => {
    child.once('close', (code, signal) =>
      resolve({ code, signal, stdout, stderr }),
    );
  });
  if (options.input !== undefined) child.stdin?.end(options.input);
  else child.stdin?.end();
  return { child, exited, firstLine };
}

/** Runs `kenos ...args` to completion with raw stdout (not split in lines). */
export function runKenos(
  args: string[],
  options: KenosOptions = {},
): Promise<KenosResult> {
  return new Promise((resolve, reject) => {
    const child = spawnKenos(args, options);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code, signal) =>
      resolve({ code, signal, stdout, stderr }),
    );
    child.stdin.end(options.input ?? '');
  });
}
