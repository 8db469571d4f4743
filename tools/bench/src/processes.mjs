// Process helpers for cases whose server under test runs in its own process,
// with the load generator in another, pinned to different cores when possible.
import { spawn, spawnSync } from 'node:child_process';
import { cpus } from 'node:os';

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
  return canPin ? spawn('taskset', ['-c', String(core), command, ...args], options) : spawn(command, args, options);
}

/** Resolves with the first stdout line matching `pattern` (its match), or rejects on exit/timeout. */
export function waitForLine(child, pattern, timeoutMs = 20_000) {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => done(new Error(`KENOS_ERR_BENCH_TIMEOUT: no line matching ${pattern} within ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk) => {
      buffer += chunk;
      const m = buffer.match(pattern);
      if (m) done(null, m);
    };
    const onExit = (code) => done(new Error(`KENOS_ERR_BENCH_CHILD_EXIT: process exited with ${code} before ready`));
    function done(err, m) {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(m);
    }
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', onData);
    child.on('exit', onExit);
  });
}

/** Sends SIGTERM to a child we started and waits for it to exit (SIGKILL after `graceMs`). */
export function stopChild(child, graceMs = 5_000) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
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
    const child = spawnPinned(1, command, args, { stdio: ['ignore', 'pipe', stderr] });
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
