import { runService } from '@kenos/server';
import { greeter } from './service.js';

/** Runs the component named on the command line (see main.ts). */
await runService(greeter);
