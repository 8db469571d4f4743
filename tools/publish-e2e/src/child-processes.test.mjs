import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { runCommand } from '@kenos/service-e2e/commands';
import { describe, expect, it } from 'vitest';
import { childProcesses, signalChildren } from './child-processes.mjs';

/** Whether `pid` runs (a zombie, dead but not yet reaped by its new parent, does not). */
const alive = (pid) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
};

/** Waits (bounded) until `check()` is true; the result of the last check. */
async function eventually(check, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 20));
  return check();
}

describe('the child processes of an interrupted run', () => {
  it('are found by their parent PID, a detached one as the leader of its own process group', async () => {
    const plain = spawn('sleep', ['30'], { stdio: 'ignore' });
    const detached = runCommand('sleep', ['30'], {
      cwd: process.cwd(),
      timeoutMs: 30_000,
    });
    try {
      expect(await eventually(() => childProcesses().length >= 2)).toBe(true);
      const children = childProcesses();
      expect(children).toContainEqual({
        pid: plain.pid,
        pgid: expect.any(Number),
      });
      expect(children.find((c) => c.pid === plain.pid).pgid).not.toBe(
        plain.pid,
      );
      expect(
        children.some((c) => c.pid !== plain.pid && c.pgid === c.pid),
      ).toBe(true);
    } finally {
      signalChildren('SIGKILL');
      await detached;
    }
  });

  it('are all stopped, with everything a detached one started in its process group', async () => {
    const plain = spawn('sleep', ['30'], { stdio: 'ignore' });
    const plainExit = new Promise((resolve) =>
      plain.once('exit', (code, signal) => resolve(signal)),
    );
    // a shell that starts a grandchild in its group, as npm starts its scripts
    const detached = runCommand('sh', ['-c', 'sleep 30 & wait'], {
      cwd: process.cwd(),
      timeoutMs: 30_000,
    });
    expect(
      await eventually(() =>
        childProcesses().some(
          (c) => c.pgid === c.pid && childProcesses(c.pid).length > 0,
        ),
      ),
    ).toBe(true);
    const shell = childProcesses().find((c) => c.pgid === c.pid);
    const [grandchild] = childProcesses(shell.pid);

    const signalled = signalChildren('SIGKILL');

    expect(signalled).toEqual(expect.arrayContaining([plain.pid, shell.pid]));
    expect(await plainExit).toBe('SIGKILL');
    expect((await detached).signal).toBe('SIGKILL');
    expect(await eventually(() => !alive(grandchild.pid))).toBe(true);
  });
});
