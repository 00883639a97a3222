/**
 * The content scripts' run-time imports (type-only imports are dropped, as the bundler drops them):
 * no zod, which would put ~60 KB into every arXiv and Hugging Face page. Their side of the contract is
 * the types-only client and readTabEvent in lib/messaging/call.ts; the background parses for them.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'content-scripts-no-zod',
      severity: 'error',
      comment: 'zod stays out of the content bundle: import protocol and schema types with `import type`.',
      from: { path: '^entrypoints/[^/]+\\.content/' },
      to: { path: '(^|/)node_modules/zod/', reachable: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Worktrees link node_modules: name packages by where they are linked, not where they live.
    preserveSymlinks: true,
    exclude: { path: '^(\\.output|\\.wxt)/' },
    tsPreCompilationDeps: false,
    tsConfig: { fileName: '.dependency-cruiser.tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'default'] },
  },
};
