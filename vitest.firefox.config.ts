import { defineConfig } from 'vitest/config';

/** The Firefox smoke tests (`npm run test:firefox`): one real browser, tests in order, after `npm run build`. */
export default defineConfig({
  test: {
    include: ['tests/firefox/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    sequence: { concurrent: false },
    testTimeout: 180_000,
    hookTimeout: 60_000,
  },
});
