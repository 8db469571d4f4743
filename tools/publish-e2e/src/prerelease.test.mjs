import { execFileSync } from 'node:child_process';
import {
  accessSync,
  constants,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  prereleaseVersion,
  unpackAtVersion,
  withVersion,
} from './prerelease.mjs';

const work = mkdtempSync(join(tmpdir(), 'kenos-prerelease-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const manifest = {
  name: '@kenos/example',
  version: '1.2.3',
  bin: { example: './example.js' },
  dependencies: { '@kenos/logger': '1.2.3', pino: '^10.4.0' },
  devDependencies: { '@kenos/testing': '^1.0.0', vitest: '~4.1.12' },
  peerDependencies: { '@kenos/server': '>=1' },
  optionalDependencies: { '@kenos/config': '1.2.3', 'pino-pretty': '^13' },
};

describe('packages at a prerelease version', () => {
  it('have a version no release has: 0.0.0-e2e.<milliseconds>', () => {
    expect(prereleaseVersion(1796302639526)).toBe('0.0.0-e2e.1796302639526');
    expect(prereleaseVersion()).toMatch(/^0\.0\.0-e2e\.\d{13}$/);
  });

  it('pin every @kenos dependency to that version, in every dependency field, and leave the rest', () => {
    const out = withVersion(manifest, '0.0.0-e2e.1');
    expect(out).toEqual({
      ...manifest,
      version: '0.0.0-e2e.1',
      dependencies: { '@kenos/logger': '0.0.0-e2e.1', pino: '^10.4.0' },
      devDependencies: { '@kenos/testing': '0.0.0-e2e.1', vitest: '~4.1.12' },
      peerDependencies: { '@kenos/server': '0.0.0-e2e.1' },
      optionalDependencies: {
        '@kenos/config': '0.0.0-e2e.1',
        'pino-pretty': '^13',
      },
    });
    expect(manifest.version).toBe('1.2.3');
  });

  it('are unpacked from the npm pack tarball with every file, the tarball and the package left as they were', () => {
    const pkg = mkdtempSync(join(work, 'example-'));
    writeFileSync(join(pkg, 'package.json'), JSON.stringify(manifest));
    writeFileSync(join(pkg, 'example.js'), '#!/usr/bin/env node\n', {
      mode: 0o755,
    });
    const [{ filename }] = JSON.parse(
      execFileSync(
        'npm',
        ['pack', '--json', '--ignore-scripts', '--pack-destination', work],
        { cwd: pkg, encoding: 'utf8' },
      ),
    );
    const tarball = join(work, filename);
    const before = readFileSync(tarball);

    const dir = unpackAtVersion(tarball, '0.0.0-e2e.7', join(work, 'out'));

    expect(dir).toBe(join(work, 'out/package'));
    const unpacked = JSON.parse(
      readFileSync(join(dir, 'package.json'), 'utf8'),
    );
    expect(unpacked.version).toBe('0.0.0-e2e.7');
    expect(unpacked.dependencies['@kenos/logger']).toBe('0.0.0-e2e.7');
    expect(() =>
      accessSync(join(dir, 'example.js'), constants.X_OK),
    ).not.toThrow();
    expect(readFileSync(tarball).equals(before)).toBe(true);
    expect(JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'))).toEqual(
      manifest,
    );
  });
});
