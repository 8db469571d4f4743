/**
 * `node --import @kenos/telemetry/register dist/main.js` starts tracing before the
 * service's own modules load, from the standard `OTEL_*` variables. The service name is
 * `OTEL_SERVICE_NAME`, else the `name` of `package.json` in the working directory; the
 * version is `npm_package_version`, else that `package.json`'s `version`; the environment
 * is `KENOS_ENV`, else `NODE_ENV`. A later `startTracing()` (by @kenos/server) returns the
 * instance started here.
 *
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTracing } from './start-tracing.js';

function readPackageJson(): { name?: string; version?: string } {
  try {
    return JSON.parse(
      readFileSync(join(process.cwd(), 'package.json'), 'utf8'),
    ) as { name?: string; version?: string };
  } catch {
    return {};
  }
}

const pkg = readPackageJson();
const env = process.env;
const environment = env.KENOS_ENV ?? env.NODE_ENV;
startTracing({
  serviceName: env.OTEL_SERVICE_NAME ?? pkg.name ?? 'unknown_service:node',
  serviceVersion: env.npm_package_version ?? pkg.version ?? '0.0.0',
  ...(environment ? { environment } : {}),
});
