/**
 * Rollups: mergeable partials (workers) and final rollup tables (main thread). See README.md.
 */
export { validateRollupOptions, DEFAULT_RELATIVE_ACCURACY } from './options.js';
export type { RollupOptions, ResolvedRollupOptions } from './options.js';
export { RollupAccumulator } from './accumulator.js';
export { mergePacked, mergePartial, packPartial } from './packed.js';
export type { PackedPartial } from './packed.js';
export type { RollupPartial, GroupTable } from './partial.js';
export { finalizeRollups, rollupSchemas } from './finalize.js';
