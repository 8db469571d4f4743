import { request } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateLocalKey } from '@kenos/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnService, startService, stopAllServices } from '@kenos/testing';

const fixture = fileURLToPath(
  new URL('./fixtures/service.mjs', import.meta.url),
);
const keyFile = join(mkdtempSync(join(tmpdir(), 'kenos-server-')), 'dev.key');
beforeAll(() => generateLocalKey(keyFile, { keyId: 'fixture-key' }));
afterAll(() => stopAllServices());

/** GET `path` exactly as given (no URL normalisation), with a request id; resolves with the status. */
function get(port: number, path: string, requestId: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, headers: { 'x-request-id': requestId } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('secrets in the access log', () => {
  it('scrubs a sensitive config value from the access line path, URL-encoded in upper-, lower- or mixed-case hex', async () => {
    const secret = 'pa+ss/w=rd$"q\\<é> x';
    const svc = await startService(fixture, 'api', {
      env: {
        FIXTURE_SECRET: secret,
        KENOS_LOCAL_KEY_FILE: keyFile,
      },
      readyTimeoutMs: 30_000,
    });
    try {
      const port = svc.ports.http as number;
      const encoded = encodeURIComponent(secret);
      const paths = {
        upper: `/hello/${encoded}`,
        lower: `/hello/${encoded.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())}`,
        unmatched: `/v1/greetings/${encoded.replace('%2F', '%2f')}/more`,
      };
      for (const [id, path] of Object.entries(paths)) {
        expect([200, 404]).toContain(await get(port, path, `scrub-${id}`));
        const line = await svc.waitForLine(
          (l) => l.msg === 'http request' && l['request_id'] === `scrub-${id}`,
          5000,
        );
        const http = line['http'] as { path: string };
        expect(http.path, id).toContain('[REDACTED]');
        expect(http.path, id).not.toMatch(/rd%24|w%3d|%c3%a9/i);
      }
    } finally {
      svc.kill('SIGTERM');
      await svc.exited;
    }
  });
});

describe('sensitive values too short to scrub', () => {
  it('warns once at startup, naming the key and never the value', async () => {
    const svc = await startService(fixture, 'api', {
      env: {
        FIXTURE_SECRET: 'q7#Zx',
        KENOS_LOCAL_KEY_FILE: keyFile,
      },
      readyTimeoutMs: 30_000,
    });
    try {
      const warnings = svc.lines.filter(
        (l) => l['code'] === 'KENOS_ERR_CONFIG_SECRET_TOO_SHORT',
      );
      expect(warnings).toEqual([
        expect.objectContaining({
          level: 'warn',
          key: 'fixture.secret',
          source: 'env:FIXTURE_SECRET',
        }),
      ]);
      expect(JSON.stringify(warnings)).not.toContain('q7#Zx');
    } finally {
      svc.kill('SIGTERM');
      await svc.exited;
    }
  });

  it('refuses to start in production with exit 78, naming the key', async () => {
    const svc = spawnService(fixture, 'api', {
      env: {
        FIXTURE_SECRET: 'q7#Zx',
        NODE_ENV: 'production',
        KENOS_KEY_PROVIDER: 'aws',
      },
    });
    const { code } = await svc.exited;
    expect(code).toBe(78);
    const fatal = svc.lines.filter((l) => l.level === 'fatal');
    expect(fatal).toEqual([
      expect.objectContaining({ code: 'KENOS_ERR_CONFIG_INVALID' }),
    ]);
    expect((fatal[0]!['problems'] as string[]).join('\n')).toMatch(
      /fixture\.secret \(env FIXTURE_SECRET\) from env:FIXTURE_SECRET: .*shorter than 6 characters/,
    );
    expect(JSON.stringify(svc.lines)).not.toContain('q7#Zx');
    expect(svc.lines.some((l) => l.msg === 'service ready')).toBe(false);
  });
});
