// Child processes of the end-to-end proof: npm and node commands with a clean environment, a
// deadline, and the whole process group stopped (by PID) when the deadline passes.
import { spawn } from 'node:child_process';

/**
 * The environment of a command run "as a developer would": PATH (the repository's Node 24 first,
 * as npm scripts put it) and HOME, nothing of the test runner (VITEST_*, NODE_OPTIONS, npm_*, NX_*).
 */
export function cleanEnv(extra = {}) {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TERM', 'CI'];
  const env = {};
  for (const key of keep)
    if (process.env[key] !== undefined) env[key] = process.env[key];
  return { ...env, NO_COLOR: '1', ...extra };
}

/**
 * Runs `command args` in `cwd` and resolves with `{ code, signal, output }` (stdout and stderr
 * interleaved); after `timeoutMs` the process group gets SIGKILL and the result says so.
 */
export function runCommand(
  command,
  args,
  { cwd, env = cleanEnv(), timeoutMs },
) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env,
      detached: true, // its own process group, so that a timeout stops npm's children too
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        output: timedOut
          ? `${output}\n[timed out after ${timeoutMs} ms: process group killed]`
          : output,
      });
    });
  });
}

/** The last `lines` lines of a command's output, for an assertion message. */
export function tail(output, lines = 60) {
  return output.split('\n').slice(-lines).join('\n');
}
