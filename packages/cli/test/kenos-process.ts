import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { spawnNode, type NodeProcess } from '@kenos/testing/process';

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

/** `node bin/kenos.js ...args` (`spawnNode`), stdin piped and ended with `input`. */
function spawnKenos(args: string[], options: KenosOptions): NodeProcess {
  return spawnNode(options.bin ?? BIN, args, {
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    env: childEnv(options.env),
    inheritEnv: false,
    input: options.input ?? '',
  });
}

const result = async (proc: NodeProcess): Promise<KenosResult> => {
  const { code, signal } = await proc.exited;
  return { code, signal, stdout: proc.stdout, stderr: proc.stderr };
};

/** Starts `kenos ...args`; the caller waits for `firstLine` and `exited`. */
export function startKenos(
  args: string[],
  options: KenosOptions = {},
): {
  child: ChildProcess;
  exited: Promise<KenosResult>;
  firstLine: Promise<string>;
} {
  const proc = spawnKenos(args, options);
  const firstLine = proc
    .waitForLine(() => true, 2 ** 31 - 1)
    .then(
      () => proc.stdout.slice(0, proc.stdout.indexOf('\n')),
      () => {
        throw new Error(
          `kenos exited before printing a line; stderr: ${proc.stderr}`,
        );
      },
    );
  return { child: proc.child, exited: result(proc), firstLine };
}

/** Runs `kenos ...args` to completion with raw stdout (not split in lines). */
export function runKenos(
  args: string[],
  options: KenosOptions = {},
): Promise<KenosResult> {
  return result(spawnKenos(args, options));
}
