import { defineConfig } from 'wxt';

import { HOST_MATCHES } from './lib/hosts';

// Host permissions are the product's whole reach: the two sites it annotates.
// tests/build/manifest.test.ts pins the built manifest so widening it is a visible decision.

export default defineConfig({
  // Parallel test runs (and the benchmark) build into their own folders.
  outDir: process.env.MARGIN_OUT_DIR ?? '.output',
  manifest: ({ browser }) => ({
    name: 'Margin',
    description: 'Related work in the margin of arXiv and Hugging Face paper pages. Everything stays on your machine.',
    // storage: panel collapsed state and settings; contextMenus: "Save to Margin" on paper links;
    // unlimitedStorage: a user-imported corpus of 100k+ papers outgrows the default quota.
    permissions: ['storage', 'contextMenus', 'unlimitedStorage'],
    host_permissions: HOST_MATCHES,
    commands: {
      'toggle-save': {
        suggested_key: { default: 'Alt+Shift+S' },
        description: 'Save or unsave the paper in the current tab',
      },
    },
    action: { default_title: 'Margin' },
    ...(browser === 'firefox'
      ? { browser_specific_settings: { gecko: { id: 'margin@margin.local', strict_min_version: '140.0', data_collection_permissions: { required: ['none'] } } } }
      : {}),
  }),
  zip: {
    // Store reviewers get the sources, not generated benchmark corpora or test output.
    excludeSources: ['bench/data/**', 'bench/tmp/**', 'test-results/**', 'playwright-report/**', '.output*/**'],
  },
  vite: () => ({
    esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
    resolve: { alias: { react: 'preact/compat', 'react-dom': 'preact/compat' } },
  }),
});
