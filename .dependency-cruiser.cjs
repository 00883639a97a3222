/**
 * Which way imports may run (npm run lint:deps, part of npm test). The layers, from the bottom:
 * lib/ (plain TypeScript, what ships) ← components/ (Preact UI) ← entrypoints/ (browser wiring);
 * scripts/, bench/ and tests/ sit outside and may import any of them, never the other way round.
 * Type-only imports count (a type cycle is still a cycle to read); the content scripts' run-time
 * check is .dependency-cruiser.content.cjs, where they do not.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle means neither module can be read, tested or moved without the other.',
      from: { path: '^(lib|components|entrypoints|scripts|bench|tests)/' },
      to: { circular: true },
    },
    {
      name: 'lib-not-to-ui',
      severity: 'error',
      comment: 'lib/ is plain TypeScript under the UI: it never imports entrypoints/ or components/.',
      from: { path: '^lib/' },
      to: { path: '^(entrypoints|components)/' },
    },
    {
      name: 'components-not-to-entrypoints',
      severity: 'error',
      comment: 'Shared UI is wired by the entrypoints, not the other way round.',
      from: { path: '^components/' },
      to: { path: '^entrypoints/' },
    },
    {
      name: 'shipped-not-to-build-time',
      severity: 'error',
      comment: 'What ships (lib/, components/, entrypoints/) never imports build, bench or test code.',
      from: { path: '^(lib|components|entrypoints)/' },
      to: { path: '^(scripts|bench|tests)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Worktrees link node_modules: name packages by where they are linked, not where they live.
    preserveSymlinks: true,
    exclude: { path: '^(\\.output|\\.wxt|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: '.dependency-cruiser.tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'default'] },
  },
};
