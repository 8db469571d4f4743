import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnNode } from '@kenos/testing/process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_EXTERNAL, bundleService } from '../src/index.js';
import { runKenos } from './kenos-process.js';

// A service directory under test-output/ (git-ignored, inside the workspace, so that @kenos/* and
// the external packages resolve from the workspace's node_modules): package.json and dist/main.js,
// the compiled entry, copied from test/fixtures/bundle-service/main.js.
const fixture = fileURLToPath(
  new URL('./fixtures/bundle-service/main.js', import.meta.url),
);
const testOutput = fileURLToPath(new URL('../test-output/', import.meta.url));
const require = createRequire(import.meta.url);
const telemetryVersion = (
  JSON.parse(
    readFileSync(require.resolve('@kenos/telemetry/package.json'), 'utf8'),
  ) as { version: string }
).version;

/** An import of a @kenos package left in the bundle (static, dynamic or require). */
const KENOS_IMPORT =
  /(\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["']@kenos\//;

/** Runs a bundle's batch component with the admin port on 127.0.0.1, an ephemeral port. */
async function runBatch(bundle: string, cwd: string) {
  const proc = spawnNode(bundle, ['batch:build-info'], {
    cwd,
    env: { ADMIN_PORT: '0', ADMIN_HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    inheritEnv: false,
  });
  const exit = await proc.exited;
  return { exit, proc };
}

describe('kenos bundle', () => {
  let service: string;
  beforeAll(() => {
    mkdirSync(testOutput, { recursive: true });
    service = mkdtempSync(join(testOutput, 'bundle-service-'));
    writeFileSync(
      join(service, 'package.json'),
      JSON.stringify({
        name: 'bundle-fixture',
        version: '1.2.3',
        type: 'module',
      }),
    );
    mkdirSync(join(service, 'dist'));
    copyFileSync(fixture, join(service, 'dist/main.js'));
  });
  afterAll(() => rmSync(service, { recursive: true, force: true }));

  it('bundles dist/main.js into dist/main.bundle.mjs with a source map and prints one line with the size', async () => {
    const r = await runKenos(['bundle'], { cwd: service });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const bundle = join(service, 'dist/main.bundle.mjs');
    const size = readFileSync(bundle).length;
    expect(r.stdout).toBe(
      `dist/main.bundle.mjs ${(size / 1024 / 1024).toFixed(2)} MiB (${size} bytes), source map dist/main.bundle.mjs.map\n`,
    );
    const map = JSON.parse(
      readFileSync(join(service, 'dist/main.bundle.mjs.map'), 'utf8'),
    ) as { sources: string[] };
    expect(
      map.sources.some((s) => s.endsWith('server/dist/define-service.js')),
    ).toBe(true);
    expect(readFileSync(bundle, 'utf8')).toContain(
      '//# sourceMappingURL=main.bundle.mjs.map',
    );
  });

  it('inlines the @kenos packages and keeps the external packages as imports', () => {
    const code = readFileSync(join(service, 'dist/main.bundle.mjs'), 'utf8');
    expect(code).not.toMatch(KENOS_IMPORT);
    expect(code).toMatch(/from ["']grpc-health-check["']/);
    expect(code).toMatch(/from ["']@grpc\/reflection["']/);
    expect(BUNDLE_EXTERNAL.some((re) => re.test('@grpc/proto-loader'))).toBe(
      true,
    );
    expect(BUNDLE_EXTERNAL.some((re) => re.test('@kenos/server'))).toBe(false);
  });

  it('runs as a real process: a batch component exits 0 and kenos_build_info reports the @kenos/telemetry version', async () => {
    const { exit, proc } = await runBatch(
      join(service, 'dist/main.bundle.mjs'),
      service,
    );
    expect(exit.code, proc.stderr).toBe(0);
    const line = proc.lines.find((l) => l.msg === 'build info');
    expect(line?.['buildInfo']).toContain(
      `kenos_build_info{service="bundle-fixture",version="1.2.3",kenos_version="${telemetryVersion}"} 1`,
    );
    expect(line?.['buildInfo']).not.toContain('kenos_version="unknown"');
  });

  it('takes --entry and --out relative to the current directory, and bundleService the same options', async () => {
    const r = await runKenos(
      ['bundle', '--entry', './dist/main.js', '--out=dist/other.mjs'],
      { cwd: service },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^dist\/other\.mjs .* source map dist\/other\.mjs\.map\n$/,
    );
    expect(existsSync(join(service, 'dist/other.mjs.map'))).toBe(true);

    const result = await bundleService({
      cwd: service,
      out: 'dist/api.bundle.mjs',
    });
    expect(result).toEqual({
      out: join(service, 'dist/api.bundle.mjs'),
      map: join(service, 'dist/api.bundle.mjs.map'),
      bytes: readFileSync(join(service, 'dist/api.bundle.mjs')).length,
      kenosVersion: telemetryVersion,
      warnings: [],
    });
  });

  it('exits 1 with KENOS_ERR_CLI_BUNDLE_ENTRY, saying to run the TypeScript build, when the entry is missing', async () => {
    const r = await runKenos(['bundle', '--entry', 'dist/nope.js'], {
      cwd: service,
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('the entry dist/nope.js does not exist');
    expect(r.stderr).toContain('tsc -b tsconfig.lib.json');
    expect(r.stderr).toContain('npm run build');
    expect(r.stderr).toContain('(KENOS_ERR_CLI_BUNDLE_ENTRY)');
    await expect(
      bundleService({ cwd: join(service, 'nowhere') }),
    ).rejects.toMatchObject({
      code: 'KENOS_ERR_CLI_BUNDLE_ENTRY',
      exitCode: 1,
    });
  });

  it('exits 1 with KENOS_ERR_CLI_BUNDLE naming the file and the import that does not resolve', async () => {
    writeFileSync(join(service, 'dist/broken.js'), "import './missing.js';\n");
    const r = await runKenos(
      ['bundle', '--entry', 'dist/broken.js', '--out', 'dist/broken.mjs'],
      { cwd: service },
    );
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(
      "kenos bundle: rolldown could not bundle dist/broken.js: [UNRESOLVED_IMPORT] Could not resolve './missing.js'",
    );
    expect(r.stderr).toContain('(dist/broken.js:1:8)');
    expect(r.stderr).toContain('(KENOS_ERR_CLI_BUNDLE)');
    expect(r.stderr).not.toContain('\u001b[');
  });

  it('exits 1 with KENOS_ERR_CLI_OUTPUT when the directory of --out cannot be created', async () => {
    writeFileSync(join(service, 'dist/a-file'), 'x');
    const r = await runKenos(['bundle', '--out', 'dist/a-file/main.mjs'], {
      cwd: service,
    });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(
      'kenos bundle: cannot write the bundle dist/a-file/main.mjs: cannot create its directory',
    );
    expect(r.stderr).toContain('(KENOS_ERR_CLI_OUTPUT)');
  });

  it('exits 2 with the usage for an unknown flag or an argument', async () => {
    for (const args of [
      ['bundle', '--bogus'],
      ['bundle', 'dist/main.js'],
      ['bundle', '--entry'],
    ]) {
      const r = await runKenos(args, { cwd: service });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('Usage: kenos bundle');
    }
  });

  it('is listed by kenos help, with its usage under help bundle', async () => {
    const list = await runKenos(['help']);
    expect(list.stdout).toContain('  bundle ');
    const usage = await runKenos(['help', 'bundle']);
    expect(usage.stdout).toContain('--entry FILE');
    expect(usage.stdout).toContain('(default: dist/main.bundle.mjs)');
  });
});
