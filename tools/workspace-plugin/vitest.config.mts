import { kenosVitestConfig } from '../../vitest.shared.mts';

export default kenosVitestConfig(import.meta.dirname, {
  include: ['src/**/*.test.mjs'],
  testTimeout: 60_000,
});
