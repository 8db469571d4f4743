// Starting a service under test with its stdout (logs, access log) going to a file, as in
// production, and reading its ready line from that file.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnPinned } from './processes.mjs';

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * A path `name` in a fresh temporary directory, for a server's log (`ACCESS_LOG_FILE`, or its
 * stdout): the sides that log write to a real file, as the greeter does, never to /dev/null.
 * Returns `{ path, cleanup }`; `cleanup` removes the directory.
 */
export function tempLogFile(name = 'access.log') {
  const dir = mkdtempSync(join(tmpdir(), 'kenos-bench-'));
  return { path: join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Spawns `node args` pinned to core 0 with stdout to a temp file; resolves when a line of that
 * file matches `readyPattern`, with `{ child, match, logFile, cleanup }`.
 */
export async function startLogged(args, env, readyPattern, timeoutMs = 30_000) {
  const { path: logFile, cleanup } = tempLogFile('stdout.log');
  const fd = openSync(logFile, 'w');
  const child = spawnPinned(0, process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', fd, 'inherit'] });
  closeSync(fd);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      cleanup();
      throw new Error(`KENOS_ERR_BENCH_CHILD_EXIT: ${args.join(' ')} exited with ${child.exitCode} before ready`);
    }
    const m = readFileSync(logFile, 'utf8').match(readyPattern);
    if (m) return { child, match: m, logFile, cleanup };
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      cleanup();
      throw new Error(`KENOS_ERR_BENCH_TIMEOUT: ${args.join(' ')} not ready within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}
