// The house's import rules, checked by `npm run check` (docs/architecture.md explains them).
// A feature is a folder under src/ other than platform/; its index.ts is its only public face.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'Import cycles make load order matter and hide which way a dependency runs.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'platform-knows-no-feature',
      severity: 'error',
      comment: 'platform/ is what every feature stands on: it imports nothing outside platform/.',
      from: { path: '^src/platform/' },
      to: { path: '^src/', pathNot: '^src/platform/' },
    },
    {
      name: 'feature-through-index',
      severity: 'error',
      comment: "A feature uses another feature only through that feature's index.ts.",
      from: { path: '^src/([^/]+)/', pathNot: ['^src/platform/', '[.]test[.]ts$'] },
      to: { path: '^src/[^/]+/', pathNot: ['^src/$1/', '^src/platform/', '^src/[^/]+/index[.]ts$'] },
    },
    {
      name: 'root-through-index',
      severity: 'error',
      comment: 'The composition root (app.ts, main.ts, server.ts) wires features through their index.ts.',
      from: { path: '^src/[^/]+[.]ts$', pathNot: '[.]test[.]ts$' },
      to: { path: '^src/[^/]+/', pathNot: ['^src/platform/', '^src/[^/]+/index[.]ts$'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|public|data|[.]tmp)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
