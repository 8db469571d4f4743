import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const register = fileURLToPath(new URL('../dist/register.js', import.meta.url));
const app = fileURLToPath(
  new URL('./fixtures/register-app.mjs', import.meta.url),
);

describe('@kenos/telemetry/register', () => {
  it('starts tracing before the service modules load, named by OTEL_SERVICE_NAME', () => {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      OTEL_SERVICE_NAME: 'payments',
      npm_package_version: '4.5.6',
      KENOS_ENV: 'staging',
    };
    const r = spawnSync(process.execPath, ['--import', register, app], {
      env,
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as {
      started: boolean;
      exporting: boolean;
      ids: { traceId: string; resource: Record<string, string> };
    };
    expect(out.started).toBe(true);
    expect(out.exporting).toBe(false);
    expect(out.ids.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(out.ids.resource).toMatchObject({
      'service.name': 'payments',
      'service.version': '4.5.6',
      'deployment.environment.name': 'staging',
    });
  });
});
