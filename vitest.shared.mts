import { basename } from 'node:path';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

/**
 * The one vitest setup every Kenos project uses. Each project's
 * `vitest.config.mts` calls this with its own directory, so that test
 * behaviour (reporters, timeouts, result files read by the root test summary)
 * is identical everywhere.
 */
export function kenosVitestConfig(
  projectDir: string,
  overrides: ViteUserConfig['test'] = {},
): ViteUserConfig {
  return defineConfig({
    root: projectDir,
    cacheDir: `../../node_modules/.vite/${basename(projectDir)}`,
    test: {
      name: basename(projectDir),
      watch: false,
      globals: false,
      environment: 'node',
      include: ['{src,test}/**/*.test.{ts,mts}'],
      passWithNoTests: true,
      testTimeout: 20_000,
      hookTimeout: 20_000,
      reporters: [
        'default',
        ['json', { outputFile: './test-output/vitest/results.json' }],
      ],
      ...overrides,
    },
  });
}
