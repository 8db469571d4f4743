import { kenosVitestConfig } from '../../vitest.shared.mts';

// The validator tests install Renovate on first use (see tools/renovate-e2e/src/renovate-install.mjs).
export default kenosVitestConfig(import.meta.dirname, {
  include: ['test/**/*.test.mjs'],
  testTimeout: 60_000,
  hookTimeout: 600_000,
});
