#!/usr/bin/env node
// One entry point for every workload: node dist/main.js api | worker:greetings | batch:daily-report
import { runService } from '@kenos/server';
import { greeter } from './service.js';

await runService(greeter);
