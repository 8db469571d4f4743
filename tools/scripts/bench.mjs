#!/usr/bin/env node
// `npm run bench [-- --quick] [-- --suite logger]`: builds every package (and the greeter's bundle), then runs the
// benchmark harness (tools/bench) which measures each case side by side with its anchor.
import { spawnSync } from 'node:child_process';
import { checkNode } from './check-node.mjs';

checkNode();
const root = new URL('../..', import.meta.url).pathname;
const env = {
  ...process.env,
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_TUI: 'false',
};
const build = spawnSync(
  'nx',
  ['run-many', '-t', 'build,bundle', '--outputStyle=static'],
  { cwd: root, stdio: 'inherit', env },
);
if (build.status !== 0) process.exit(build.status ?? 1);
const r = spawnSync(
  process.execPath,
  ['tools/bench/src/run.mjs', ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit', env },
);
process.exit(r.status ?? 1);
