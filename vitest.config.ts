import { defineConfig } from 'vitest/config';

export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  test: {
    include: ['tests/unit/**/*.test.{ts,tsx}'],
    environment: 'node',
    restoreMocks: true,
    // Tests that build the indexes take 2–4 s alone; with the files running in parallel on two cores they took up to
    // 14 s and hit the 5 s default, failing on load rather than on behaviour.
    testTimeout: 20_000,
  },
});
