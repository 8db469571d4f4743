#!/usr/bin/env node
// One entry point for every workload: node dist/main.js api | worker:greetings | batch:daily-report
import module from 'node:module';

// Node's on-disk compile cache (os.tmpdir()/node-compile-cache, or NODE_COMPILE_CACHE): later starts
// skip compiling the SDK's and the service's modules. It only covers modules loaded after this call,
// hence the dynamic import of the rest. Without a writable directory it silently does nothing.
module.enableCompileCache?.();

await import('./run.js');
