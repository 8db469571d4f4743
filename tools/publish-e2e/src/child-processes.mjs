// The processes this script started, found by their parent PID, for an interrupted run: `npm`
// commands run in process groups of their own (see runCommand), which Ctrl-C does not reach.
import { readdirSync, readFileSync } from 'node:fs';

/**
 * The direct children of `parent` as `{ pid, pgid }`, read from /proc (Linux); `[]` where there
 * is no /proc.
 */
export function childProcesses(parent = process.pid) {
  let entries;
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const children = [];
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so split after the last ')'
    const [, ppid, pgid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(ppid) === parent)
      children.push({ pid: Number(name), pgid: Number(pgid) });
  }
  return children;
}

/**
 * Sends `signal` to every child of this process, and to the whole process group of a child that
 * leads one (a detached `npm` and everything it started). Returns the PIDs signalled.
 */
export function signalChildren(signal = 'SIGKILL') {
  const signalled = [];
  for (const { pid, pgid } of childProcesses()) {
    try {
      process.kill(pgid === pid ? -pid : pid, signal);
      signalled.push(pid);
    } catch {
      // already gone
    }
  }
  return signalled;
}
