import { kenosVitestConfig } from '../../vitest.shared.mts';

// Fast tests of the pieces of `npm run e2e:publish` (the registry, the prerelease packages, the
// steps); the proof itself is that script, run by .ci/run.
export default kenosVitestConfig(import.meta.dirname, {
  include: ['src/**/*.test.mjs'],
  testTimeout: 60_000,
  hookTimeout: 60_000,
});
