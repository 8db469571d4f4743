// Starting a service under test with its stdout (logs, access log) going to a file, as in
// production, and reading its ready line from that file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPinnedNode } from './processes.mjs';

export { freePort } from '@kenos/testing/process';

/**
 * A path `name` in a fresh temporary directory, for a server's log (`ACCESS_LOG_FILE`, or its
 * stdout): the sides that log write to a real file, as the greeter does, never to /dev/null.
 * Returns `{ path, cleanup }`; `cleanup` removes the directory.
 */
export function tempLogFile(name = 'access.log') {
  const dir = mkdtempSync(join(tmpdir(), 'kenos-bench-'));
  return {
    path: join(dir, name),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Spawns `node args` pinned to core 0 with stdout to a temp file; resolves when a line of that
 * file matches `readyPattern`, with `{ proc, child, match, logFile, cleanup }`.
 */
export async function startLogged(args, env, readyPattern, timeoutMs = 30_000) {
  const { path: logFile, cleanup } = tempLogFile('stdout.log');
  const [script, ...rest] = args;
  try {
    const { proc, child, match } = await startPinnedNode(
      script,
      rest,
      env,
      readyPattern,
      { stdoutFile: logFile, timeoutMs },
    );
    return { proc, child, match, logFile, cleanup };
  } catch (err) {
    cleanup();
    throw err;
  }
}
