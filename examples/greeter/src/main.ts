#!/usr/bin/env node
// The entry point of every component: node dist/main.js api | worker:greetings | batch:daily-report.
// `npm run build` also bundles it with everything it imports into dist/main.bundle.mjs, which the image runs.
import { runService } from '@kenos/server';
import { service } from './service.js';

await runService(service);
