import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { readJson, writeJson } from '@nx/devkit';

const require = createRequire(import.meta.url);
const packageGenerator = require('./generator.cjs');
const repoRoot = new URL('../../../../../', import.meta.url);

async function generate(options) {
  const tree = createTreeWithEmptyWorkspace();
  writeJson(tree, 'tsconfig.json', { files: [], references: [] });
  writeJson(tree, 'tools/module-boundaries.json', { scopes: { logger: [] } });
  await packageGenerator(tree, { skipFormat: true, ...options });
  return tree;
}

describe('package generator', () => {
  it('creates a publishable ESM package with exports, types, files, repository and publishConfig', async () => {
    const tree = await generate({
      name: 'feature-flags',
      description: 'Flags "quoted".',
    });
    const pkg = readJson(tree, 'packages/feature-flags/package.json');
    expect(pkg.name).toBe('@kenos/feature-flags');
    expect(pkg.description).toBe('Flags "quoted".');
    expect(pkg.type).toBe('module');
    expect(pkg.engines.node).toBe('>=22.13');
    expect(pkg.exports['.']).toEqual({
      types: './dist/index.d.ts',
      default: './dist/index.js',
    });
    expect(pkg.files).toContain('dist');
    expect(pkg.repository.directory).toBe('packages/feature-flags');
    expect(pkg.publishConfig.access).toBe('public');
    expect(pkg.nx.tags).toEqual(['type:package', 'scope:feature-flags']);
    expect(Object.keys(pkg.scripts).sort()).toEqual([
      'api-check',
      'api-update',
      'pack-check',
    ]);
  });

  it('writes an API report that matches the entry point (the error class), so the new package passes api-check untouched', async () => {
    const tree = await generate({ name: 'feature-flags' });
    const report = tree.read(
      'packages/feature-flags/api/feature-flags.api.md',
      'utf8',
    );
    expect(report).toContain('## API Report File for "@kenos/feature-flags"');
    expect(report).toContain('export class FeatureFlagsError extends Error {');
  });

  it('emits the error convention: src/<name>-error.ts with one class and its code union, exported, with a docs/errors.md row', async () => {
    const tree = createTreeWithEmptyWorkspace();
    writeJson(tree, 'tsconfig.json', { files: [], references: [] });
    tree.write(
      'docs/errors.md',
      '| Code | Description | How to solve |\n| --- | --- | --- |\n',
    );
    await packageGenerator(tree, { name: 'feature-flags', skipFormat: true });
    const source = tree.read(
      'packages/feature-flags/src/feature-flags-error.ts',
      'utf8',
    );
    expect(source).toContain(
      "export type FeatureFlagsErrorCode = 'KENOS_ERR_FEATURE_FLAGS_INVALID_ARGUMENT';",
    );
    expect(source).toContain('export class FeatureFlagsError extends Error {');
    expect(source).toContain(
      'code: FeatureFlagsErrorCode,\n    message: string,\n    options?: { cause?: unknown },',
    );
    expect(source).toContain('super(message, options);');
    const index = tree.read('packages/feature-flags/src/index.ts', 'utf8');
    expect(index).toContain(
      "export { FeatureFlagsError } from './feature-flags-error.js';",
    );
    expect(index).toContain(
      "export type { FeatureFlagsErrorCode } from './feature-flags-error.js';",
    );
    const report = tree.read(
      'packages/feature-flags/api/feature-flags.api.md',
      'utf8',
    );
    expect(report).toContain('export class FeatureFlagsError extends Error {');
    expect(report).toContain(
      "export type FeatureFlagsErrorCode = 'KENOS_ERR_FEATURE_FLAGS_INVALID_ARGUMENT';",
    );
    expect(tree.read('docs/errors.md', 'utf8')).toMatch(
      /^\| `KENOS_ERR_FEATURE_FLAGS_INVALID_ARGUMENT` \| .+ \| .+ \|$/m,
    );
  });

  it('registers the package in the root tsconfig and in the module-boundary table', async () => {
    const tree = await generate({
      name: 'feature-flags',
      dependsOn: 'logger, config',
    });
    expect(readJson(tree, 'tsconfig.json').references).toEqual([
      { path: './packages/feature-flags' },
    ]);
    expect(
      readJson(tree, 'tools/module-boundaries.json').scopes['feature-flags'],
    ).toEqual(['logger', 'config']);
  });

  it('refuses a name that is not kebab-case and a package that already exists', async () => {
    await expect(generate({ name: 'Feature_Flags' })).rejects.toThrow(
      /KENOS_ERR_GENERATOR_NAME/,
    );
    const tree = await generate({ name: 'feature-flags' });
    await expect(
      packageGenerator(tree, { name: 'feature-flags', skipFormat: true }),
    ).rejects.toThrow(/KENOS_ERR_GENERATOR_EXISTS/);
  });

  it('made every TypeScript package of this repository: their shared files are identical to its output', async () => {
    const shared = [
      'tsconfig.json',
      'tsconfig.spec.json',
      'eslint.config.mjs',
      'vitest.config.mts',
      'api-extractor.json',
    ];
    const names = [
      'logger',
      'crypto',
      'config',
      'lifecycle',
      'telemetry',
      'server',
      'testing',
      'cli',
    ];
    for (const name of names) {
      const dir = new URL(`packages/${name}/`, repoRoot);
      expect(existsSync(dir), `packages/${name} exists`).toBe(true);
      const tree = await generate({ name });
      for (const file of shared) {
        const parse = file.endsWith('.json')
          ? JSON.parse
          : (text) => text.trim();
        expect(
          parse(readFileSync(new URL(file, dir), 'utf8')),
          `packages/${name}/${file}`,
        ).toEqual(parse(tree.read(`packages/${name}/${file}`, 'utf8')));
      }
      const real = JSON.parse(
        readFileSync(new URL('package.json', dir), 'utf8'),
      );
      const made = readJson(tree, `packages/${name}/package.json`);
      // a package may add Nx targets of its own (the CLI builds its service template); the rest is shared
      delete real.nx?.targets;
      for (const key of [
        'type',
        'engines',
        'repository',
        'publishConfig',
        'nx',
        'license',
      ]) {
        expect(real[key], `packages/${name}/package.json ${key}`).toEqual(
          made[key],
        );
      }
    }
  });
});
