import { describe, expect, it } from 'vitest';
import { runKenos, startKenos } from './kenos-process.js';

async function kms(
  url: string,
  op: string,
  body: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `TrentService.${op}`,
    },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    json: (await res.json()) as Record<string, unknown>,
  };
}

describe('kenos kms-local', () => {
  it('prints its URL, serves KMS calls and exits 0 on SIGTERM', async () => {
    const run = startKenos(['kms-local', '--port', '0']);
    const url = await run.firstLine;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const created = await kms(url, 'CreateKey', {});
    expect(created.status).toBe(200);
    expect(created.json['KeyMetadata']).toMatchObject({ KeyState: 'Enabled' });
    run.child.kill('SIGTERM');
    const r = await run.exited;
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('development and test tool');
    expect(r.stderr).toContain('stopped on SIGTERM');
  });

  it('applies the fault flags and exits 0 on SIGINT', async () => {
    const run = startKenos([
      'kms-local',
      '--port',
      '0',
      '--throttle-rate',
      '1',
      '--latency-ms',
      '50',
    ]);
    const url = await run.firstLine;
    const throttled = await kms(url, 'ListKeys', {});
    expect(throttled).toEqual({
      status: 400,
      json: { __type: 'ThrottlingException', message: 'Rate exceeded' },
    });
    run.child.kill('SIGINT');
    expect((await run.exited).code).toBe(0);
  });

  it('injects an error by operation with --error-rate and --error-name', async () => {
    const run = startKenos([
      'kms-local',
      '--port',
      '0',
      '--error-rate',
      'ListKeys=1',
      '--error-name',
      'AccessDeniedException',
    ]);
    const url = await run.firstLine;
    expect((await kms(url, 'ListKeys', {})).json['__type']).toBe(
      'AccessDeniedException',
    );
    expect((await kms(url, 'ListAliases', {})).status).toBe(200);
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(0);
  });

  it('refuses a non-loopback host without --allow-non-loopback: exit 1, one line on stderr', async () => {
    const r = await runKenos(['kms-local', '--port', '0', '--host', '0.0.0.0']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('KENOS_ERR_KMS_LOCAL_NON_LOOPBACK');
  });
});
