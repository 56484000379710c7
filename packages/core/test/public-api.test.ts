/** The public API changes only on purpose, and the README documents every column it writes. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as core from '../src/index.js';
import { rollupSchemas } from '../src/rollup/index.js';

describe('@callaudit/core public API', () => {
  it('exports exactly this list', () => {
    expect(Object.keys(core).sort()).toMatchSnapshot();
  });

  it('classifies the README example as the README says', () => {
    const metrics = {
      jitterAvgMs: 45,
      rttAvgMs: 120,
      packetLossAvg: 0.01,
      concealedRatioAvg: null,
      audioDegradationAvg: null,
      packetUtilization: 1500,
      videoFrameLossPctAvg: null,
      videoFrameRateAvg: null,
      postFecPacketLoss: null,
      audioCodec: 'opus',
    };
    const result = core.classifyStream(core.streamKind('main-audio', 'opus', null), metrics, core.resolveRules('cqd'));
    expect(result).toMatchObject({ cls: 'poor', reasons: ['jitter'] });
  });
});

describe('README column reference', () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const tables = [core.STREAMS, core.CALLS, ...rollupSchemas({ groupBy: [] }), core.PSTN_CALLS, core.DIRECT_ROUTING_CALLS, ...core.logRollupSchemas()];
  for (const table of tables) {
    it(`documents every column of ${table.name}`, () => {
      const missing = table.columns.filter((c) => !readme.includes(`\`${c.name}\``)).map((c) => c.name);
      expect(missing).toEqual([]);
    });
  }
});
