// Child processes of the end-to-end proof: npm and node commands with a clean environment, a
// deadline, and the whole process group stopped (by PID) when the deadline passes.
import { spawn } from 'node:child_process';

/** Variables of the test runner and of npm/Nx scripts, which a developer's shell does not have. */
const RUNNER_VARIABLES =
  /^(VITEST.*|NODE_OPTIONS|NODE_ENV|TEST|npm_.*|NX_.*|INIT_CWD|FORCE_COLOR|KENOS_.*)$/i;

/**
 * The environment of a command run "as a developer would": the machine's (PATH with the
 * repository's Node 24 first, as npm scripts put it; HOME; the network and certificate
 * settings npm needs), without the variables of the test runner.
 */
export function cleanEnv(extra = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env))
    if (value !== undefined && !RUNNER_VARIABLES.test(key)) env[key] = value;
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
