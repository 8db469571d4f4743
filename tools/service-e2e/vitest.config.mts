import { kenosVitestConfig } from '../../vitest.shared.mts';

// One long test file: npm install, the service's own tests and its processes take minutes.
export default kenosVitestConfig(import.meta.dirname, {
  include: ['src/**/*.test.mjs'],
  testTimeout: 600_000,
  hookTimeout: 900_000,
});
