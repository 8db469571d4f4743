#!/usr/bin/env node
// The production entry point: like main.ts, but runs the single-file bundle dist/run.bundle.mjs
// (`nx run example-greeter:bundle`, see rolldown.config.mjs): node dist/main-bundle.js api | worker:greetings | batch:daily-report
import module from 'node:module';

// The compile cache covers modules loaded after this call: the bundle is loaded by this small
// entry, not the entry itself, so that its compiled code is cached too.
module.enableCompileCache?.();

// a variable specifier: the bundle exists only after the bundle step, not for the TypeScript build
const bundle = './run.bundle.mjs';
await import(bundle);
