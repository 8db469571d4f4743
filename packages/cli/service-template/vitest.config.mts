import { defineConfig } from 'vitest/config';

// The tests start the built service (dist/) as real processes: `npm test` builds first.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
