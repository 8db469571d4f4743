#!/usr/bin/env node
// `npm init @kenos/service DIR [--name NAME]`: npm runs `npm exec @kenos/create-service` for it
// (the `create-` prefix is npm's initializer convention), which runs this bin: `kenos new` of the
// @kenos/cli of exactly the same version, so the new service pins that version.
import { runCli } from '@kenos/cli';

process.exitCode = await runCli(['new', ...process.argv.slice(2)]);
