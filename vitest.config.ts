import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@callaudit/source'] },
  ssr: { resolve: { conditions: ['@callaudit/source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'datasets/test/**/*.test.ts', 'benchmarks/test/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
