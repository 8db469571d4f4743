import { kenosVitestConfig } from '../../vitest.shared.mts';

// The release tests clone the repository and run Nx release in the clones: one clone at a time,
// each run well under the test timeout.
export default kenosVitestConfig(import.meta.dirname, {
  include: ['src/**/*.test.mjs'],
  testTimeout: 120_000,
  hookTimeout: 60_000,
  fileParallelism: false,
});
