import { defineConfig } from 'vitest/config';

/** Checks of what `npm run build` produced (`npm run test:build`, run by npm test right after the build). */
export default defineConfig({
  test: {
    include: ['tests/build/**/*.test.ts'],
    environment: 'node',
  },
});
