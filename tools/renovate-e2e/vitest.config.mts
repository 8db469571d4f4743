import { kenosVitestConfig } from '../../vitest.shared.mts';

// Fast tests of the pieces of `npm run e2e:renovate`; the proof itself is that script.
export default kenosVitestConfig(import.meta.dirname, {
  include: ['src/**/*.test.mjs'],
});
