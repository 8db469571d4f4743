import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKenos } from './kenos-process.js';

const fixtures = fileURLToPath(
  new URL('./fixtures/manifests/', import.meta.url),
);

describe('kenos manifests check', () => {
  let service: string;
  beforeAll(() => {
    service = mkdtempSync(join(tmpdir(), 'kenos-manifests-cli-'));
    cpSync(join(fixtures, 'valid'), join(service, 'deploy/k8s'), {
      recursive: true,
    });
  });
  afterAll(() => rmSync(service, { recursive: true, force: true }));

  it('checks deploy/k8s by default and prints the number of documents and files on stdout, exit 0', async () => {
    const r = await runKenos(['manifests', 'check'], { cwd: service });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('8 documents in 8 files valid\n');
  });

  it('takes DIR relative to the current directory', async () => {
    const r = await runKenos(['manifests', 'check', 'manifests/valid'], {
      cwd: join(fixtures, '..'),
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('8 documents in 8 files valid\n');
  });

  it('exits 1 with one line per problem naming file, document and JSON pointer, then one line with the code', async () => {
    const r = await runKenos(['manifests', 'check', 'manifests/broken'], {
      cwd: join(fixtures, '..'),
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toEqual([
      'manifests/broken/app.yaml document 2 (apps/v1 Deployment demo): /spec/replicas: must be integer',
      'manifests/broken/app.yaml document 2 (apps/v1 Deployment demo): /spec/template/spec/terminationGracePeriodSecond: unknown field (not in the apps/v1 Deployment schema)',
      'manifests/broken/kustomization.yaml document 1 (Kustomization): /namePrefx: unknown field (not a Kustomization field)',
      'manifests/broken/kustomization.yaml document 1 (Kustomization): /resources/1: gone.yaml does not exist',
      'manifests/broken/kustomization.yaml document 1 (Kustomization): /resources: does not list extra.yaml, a manifest of the directory',
      'kenos manifests: 5 problems in 2 files of manifests/broken (KENOS_ERR_CLI_MANIFESTS_INVALID)',
      '',
    ]);
  });

  it('exits 1 with KENOS_ERR_CLI_INPUT, one line, when DIR does not exist', async () => {
    const r = await runKenos(['manifests', 'check', 'no/such/dir'], {
      cwd: service,
    });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(
      'kenos manifests: cannot read the manifest directory no/such/dir (KENOS_ERR_CLI_INPUT)',
    );
  });

  it('exits 2 with the usage for an unknown action or flag, or an extra argument', async () => {
    for (const args of [
      ['manifests'],
      ['manifests', 'chek'],
      ['manifests', 'check', '--strict'],
      ['manifests', 'check', 'a', 'b'],
    ]) {
      const r = await runKenos(args, { cwd: service });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('Usage: kenos manifests check [DIR]');
    }
  });

  it('is listed by kenos help', async () => {
    const r = await runKenos(['help']);
    expect(r.stdout).toContain('  manifests ');
  });
});
