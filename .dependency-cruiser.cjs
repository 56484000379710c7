/**
 * The dependency rules of ARCHITECTURE.md ("Dependency rules"), checked in CI (`pnpm lint:deps`).
 * Paths are relative to the repository root. A rule names what a folder may NOT import; each
 * comment says why, so a violation message explains itself.
 */
const core = 'packages/core/src';
/** Folders of core other than the ones a rule allows. */
const except = (...allowed) => `^${core}/(?!(${allowed.join('|')})(/|\\.ts$))`;
/** Node built-ins that do I/O or touch the process (pure modules may use node:buffer only). */
const nodeIo = '^node:(?!buffer$)|^(fs|os|path|child_process|worker_threads|net|http|https|zlib|crypto|stream|readline)$';

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'No module cycle, type-only imports included: each module reads alone.',
      severity: 'error',
      from: { path: `^${core}` },
      to: { circular: true },
    },
    {
      name: 'table-and-errors-are-leaves',
      comment: 'table/ and errors.ts depend on nothing of core.',
      severity: 'error',
      from: { path: `^${core}/(table/|errors\\.ts$)` },
      to: { path: `^${core}/(?!table/)` },
    },
    {
      name: 'quality-is-pure',
      comment: 'quality/ is pure: no I/O, depends only on table/ and errors.ts (rule files are read by config/).',
      severity: 'error',
      from: { path: `^${core}/quality/` },
      to: { path: [except('quality', 'table', 'errors'), nodeIo] },
    },
    {
      name: 'schema-is-pure',
      comment: 'schema/ is pure: no I/O (node:buffer only, to decode UTF-8), depends only on table/ and errors.ts.',
      severity: 'error',
      from: { path: `^${core}/schema/` },
      to: { path: [except('schema', 'table', 'errors'), nodeIo] },
    },
    {
      name: 'flatten-deps',
      comment: 'flatten/ turns a validated record into rows: schema/, quality/, table/ and the pure parts of sites/ only, no I/O.',
      severity: 'error',
      from: { path: `^${core}/flatten/` },
      to: { path: [except('flatten', 'schema', 'quality', 'table', 'sites', 'errors'), nodeIo, `^${core}/sites/load\\.ts$`] },
    },
    {
      name: 'sites-deps',
      comment: 'sites/ (building and access-point files, address matching) depends on errors.ts only; only load.ts reads files.',
      severity: 'error',
      from: { path: `^${core}/sites/(?!load\\.ts$)` },
      to: { path: [except('sites', 'errors'), nodeIo] },
    },
    {
      name: 'rollup-deps',
      comment: 'rollup/ aggregates rows: table/ and quality/ (types) only, no I/O.',
      severity: 'error',
      from: { path: `^${core}/rollup/` },
      to: { path: [except('rollup', 'table', 'quality', 'errors'), nodeIo] },
    },
    {
      name: 'ingest-deps',
      comment: 'ingest/ frames input bytes into records: errors.ts, and report-marker.ts (a report folder inside an input folder is skipped).',
      severity: 'error',
      from: { path: `^${core}/ingest/` },
      to: { path: except('ingest', 'errors', 'report-marker') },
    },
    {
      name: 'framer-is-pure',
      comment: 'The byte framer runs in workers and on the main thread: no node:* import.',
      severity: 'error',
      from: { path: `^${core}/ingest/(framer|bytes|record-key|snippet|detect)\\.ts$` },
      to: { path: '^node:|^(fs|os|path|zlib|stream|crypto)$' },
    },
    {
      name: 'io-deps',
      comment: 'io/ writes tables and files: table/, errors.ts and report-marker.ts (the marker every report holds).',
      severity: 'error',
      from: { path: `^${core}/io/` },
      to: { path: except('io', 'table', 'errors', 'report-marker') },
    },
    {
      name: 'config-deps',
      comment: 'config/ reads configuration files (rules) and hands them to the pure modules that parse them.',
      severity: 'error',
      from: { path: `^${core}/config/` },
      to: { path: except('config', 'quality', 'errors') },
    },
    {
      name: 'um-deps',
      comment: 'um/ (Exchange UM) stands beside the call-records path: table/, io/, schema/ (date-times), net/ and errors.ts.',
      severity: 'error',
      from: { path: `^${core}/um/` },
      to: { path: except('um', 'table', 'io', 'schema', 'net', 'errors', 'report-marker') },
    },
    {
      name: 'fetch-deps',
      comment: 'fetch/ (Microsoft Graph) writes dumps for the report to read, and knows nothing of the report: net/, errors.ts, version.ts.',
      severity: 'error',
      from: { path: `^${core}/fetch/` },
      to: { path: except('fetch', 'net', 'errors', 'version') },
    },
    {
      name: 'report-deps',
      comment:
        "report/ renders report.html from a run's summary and rollups: table/, quality/ (rule descriptions), io/ (the first rejects), ingest/types.ts (the summary's inputs) only; it never reaches the engine.",
      severity: 'error',
      from: { path: `^${core}/report/` },
      to: { path: [except('report', 'table', 'quality', 'io', 'errors', 'ingest'), `^${core}/ingest/(?!types\\.ts$)`] },
    },
    {
      name: 'net-deps',
      comment: 'net/ holds the HTTP helpers the remote clients share: errors.ts only.',
      severity: 'error',
      from: { path: `^${core}/net/` },
      to: { path: except('net', 'errors') },
    },
    {
      name: 'leaves',
      comment: 'version.ts and report-marker.ts are small leaves everybody may use.',
      severity: 'error',
      from: { path: `^${core}/(version|report-marker)\\.ts$` },
      to: { path: except('version', 'report-marker', 'errors') },
    },
    {
      name: 'only-engine-makes-threads',
      comment: 'engine/ is the only place that creates worker threads.',
      severity: 'error',
      from: { path: `^${core}/(?!engine/)` },
      to: { path: '^(node:)?worker_threads$|^piscina$' },
    },
    {
      name: 'cli-uses-the-public-api',
      comment: "The CLI depends on @callaudit/core's public API only, never on its files.",
      severity: 'error',
      from: { path: '^packages/cli/src/' },
      to: { path: '^packages/core/src/(?!index\\.ts$)' },
    },
    {
      name: 'no-test-code-in-src',
      comment: 'Library code never imports test code.',
      severity: 'error',
      from: { path: '^packages/[^/]+/src/' },
      to: { path: '^packages/[^/]+/test/' },
    },
    {
      name: 'no-dev-deps-in-src',
      comment: 'Library code never imports a devDependency: a library user would get ERR_MODULE_NOT_FOUND.',
      severity: 'error',
      from: { path: '^packages/[^/]+/src/' },
      to: { dependencyTypes: ['npm-dev'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '/dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: { conditionNames: ['@callaudit/source', 'import', 'default'], exportsFields: ['exports'] },
    combinedDependencies: true,
  },
};
