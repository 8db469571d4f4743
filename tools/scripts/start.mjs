#!/usr/bin/env node
// `npm start`: build the example service (and the packages it uses) with Nx, then run its
// `api` component in the foreground on the default ports (HTTP 8080, gRPC 50051, admin 9000).
// Extra arguments go to the service: `npm start -- worker:greetings` runs another component.
// SIGINT / SIGTERM are forwarded to the service once each; the exit code is the service's.
import { spawn, spawnSync } from 'node:child_process';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkNode } from './check-node.mjs';

checkNode();
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const nx = join(root, 'node_modules/.bin/nx');
const main = join(root, 'examples/greeter/dist/main.js');
const args = process.argv.slice(2);
const component = args[0] ?? 'api';

console.error(
  'building @kenos/example-greeter and the packages it uses (nx run example-greeter:build) ...',
);
const build = spawnSync(
  nx,
  ['run', 'example-greeter:build', '--outputStyle=static'],
  {
    cwd: root,
    stdio: ['ignore', 2, 2],
    env: {
      ...process.env,
      NX_DAEMON: 'false',
      NX_NO_CLOUD: 'true',
      NX_TUI: 'false',
    },
  },
);
if (build.status !== 0) {
  console.error(
    `build failed (exit ${build.status ?? build.signal}); nothing started`,
  );
  process.exit(build.status ?? 1);
}

console.error(
  `starting examples/greeter component "${component}" (Ctrl-C stops it gracefully)`,
);
// Own process group: a terminal Ctrl-C reaches the service only through this script, exactly once.
const child = spawn(process.execPath, [main, component, ...args.slice(1)], {
  cwd: root,
  stdio: 'inherit',
  detached: true,
});
let lastForward = 0;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    // npm and the terminal may both deliver the same Ctrl-C: forward duplicates within 500 ms once
    if (Date.now() - lastForward < 500) return;
    lastForward = Date.now();
    child.kill(signal);
  });
}
child.on('exit', (code, signal) => {
  process.exit(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 1));
});
