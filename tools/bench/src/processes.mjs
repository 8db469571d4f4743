// Process helpers for cases whose server under test runs in its own process,
// with the load generator in another, pinned to different cores when possible.
import { spawn, spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { spawnNode } from '@kenos/testing/process';

const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
const canPin = hasTaskset && cpus().length >= 2;

/** One sentence on whether server and load generator run on separate cores. */
export function pinningNote() {
  return canPin
    ? 'Server processes are pinned to core 0 and load generators to core 1 (taskset).'
    : 'Server and load generator are NOT pinned to separate cores (taskset unavailable or a single core): ratios are still comparable, absolute figures less so.';
}

/** Spawns `command args` pinned to `core` when the machine allows it. */
export function spawnPinned(core, command, args, options = {}) {
  return canPin
    ? spawn('taskset', ['-c', String(core), command, ...args], options)
    : spawn(command, args, options);
}

/** The wrapper command that pins a process to `core` (taskset), or none when the machine does not allow it. */
export function pinWrapper(core) {
  return canPin ? ['taskset', '-c', String(core)] : [];
}

/** Pins the running process `pid` to `core` (taskset -p) when the machine allows it; true if pinned. */
export function pinProcess(pid, core) {
  return (
    canPin &&
    spawnSync('taskset', ['-pc', String(core), String(pid)], {
      stdio: 'ignore',
    }).status === 0
  );
}

/**
 * Starts `node script ...args` pinned to core 0 with `spawnNode` of `@kenos/testing/process`
 * (its stderr goes to ours) and resolves with `{ proc, child, match }` once a stdout line
 * matches `readyPattern`. stdout is a pipe, or the file `stdoutFile` (as in production), read
 * by polling until the line appears. Rejects with KENOS_ERR_BENCH_CHILD_EXIT when the process
 * exits first and KENOS_ERR_BENCH_TIMEOUT after `timeoutMs` (the process is then killed).
 */
export async function startPinnedNode(
  script,
  args,
  env,
  readyPattern,
  { stdoutFile, timeoutMs = 20_000 } = {},
) {
  const proc = spawnNode(script, args, {
    env,
    wrapper: pinWrapper(0),
    inheritStderr: true,
    ...(stdoutFile ? { stdoutFile } : {}),
  });
  let match = null;
  try {
    await proc.waitForLine(
      (_line, text) => (match = text.match(readyPattern)) !== null,
      timeoutMs,
    );
  } catch (err) {
    const exit = proc.exitInfo;
    await proc.stop('SIGKILL');
    if (exit)
      throw new Error(
        `KENOS_ERR_BENCH_CHILD_EXIT: ${[script, ...args].join(' ')} exited with ${exit.code} before ready`,
        { cause: err },
      );
    throw new Error(
      `KENOS_ERR_BENCH_TIMEOUT: no line matching ${readyPattern} within ${timeoutMs} ms`,
      { cause: err },
    );
  }
  return { proc, child: proc.child, match };
}

/** Sends SIGTERM to a child we started and waits for it to exit (SIGKILL after `graceMs`). */
export function stopChild(child, graceMs = 5_000) {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Runs a load generator pinned to core 1 and resolves with its whole stdout once it closed
 * (not at exit, when stdout may still hold unread data) together with its stderr (when piped) and exit code.
 */
export function runLoadGenerator(command, args, stderr = 'pipe') {
  return new Promise((resolve, reject) => {
    const child = spawnPinned(1, command, args, {
      stdio: ['ignore', 'pipe', stderr],
    });
    let stdout = '';
    let errors = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => (stdout += d));
    // a piped stderr is read too (a full pipe would stall the generator) and kept for error messages
    child.stderr?.setEncoding('utf8').on('data', (d) => (errors += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr: errors, code }));
  });
}

/**
 * Load before the measured rounds of a server side, in ms: long enough in a full run for V8 to
 * finish optimizing the larger code path of a Kenos side (its CPU per request keeps falling for
 * some 30,000 requests; a 1 s warm-up left the Kenos sides of the server cases still warming in
 * the first rounds), short in a quick run, which checks that every case runs.
 */
export function serverWarmUpMs(mode) {
  return mode === 'quick' ? 1000 : 4000;
}
