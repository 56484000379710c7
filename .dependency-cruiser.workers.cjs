/**
 * What a worker thread loads, checked apart from the other rules (`pnpm lint:deps`): runtime imports
 * only (type-only imports load nothing), so TypeScript's pre-compilation dependencies are left out.
 */
const base = require('./.dependency-cruiser.cjs');
const core = 'packages/core/src';

module.exports = {
  forbidden: [
    {
      name: 'workers-load-little',
      comment:
        'A worker never loads arquero (finalization runs on the main thread), vega (report.html), the UM client or stream-json; it loads parquet-wasm only on first use (a require in io/parquet.ts).',
      severity: 'error',
      from: { path: `^${core}/engine/worker\\.ts$` },
      to: { path: ['node_modules/(arquero|stream-json|fast-xml-parser|vega|vega-lite)/', `^${core}/um/`], reachable: true },
    },
  ],
  options: { ...base.options, tsPreCompilationDeps: false },
};
