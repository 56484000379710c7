import { describe, expect, it } from 'vitest';
import { CallSummary } from '../../src/flatten/summary.js';
import type { Classification } from '../../src/quality/index.js';
import { CALLS } from '../../src/table/tables.js';
import { parsed } from './helpers.js';

const GOOD: Classification = { cls: 'good', reasons: [] };
const UNCLASSIFIED: Classification = { cls: 'unclassified', reasons: ['no_metrics'] };
const poor = (...reasons: string[]): Classification => ({ cls: 'poor', reasons });
const score = (mos: number) => ({ rFactor: 80, mos });

function summarize(fill: (summary: CallSummary) => void): Record<string, unknown> {
  const summary = new CallSummary();
  fill(summary);
  const row = summary.row(parsed({ id: 'x', version: 1 }));
  return Object.fromEntries(CALLS.columns.map((column, index) => [column.name, row[index]]));
}

describe('CallSummary', () => {
  it('is good when audio streams are classified and none is poor', () => {
    const row = summarize((s) => {
      s.addStream('audio', GOOD, score(4.2));
      s.addStream('audio', UNCLASSIFIED, null);
      s.addStream('video', poor('frame_rate'), null);
    });
    expect(row).toMatchObject({ stream_count: 3, audio_streams_classified: 1, audio_streams_poor: 0, verdict: 'good', worst_reasons: '', min_mos: 4.2 });
  });

  it('is unclassified when no audio stream is classified, whatever the video says', () => {
    const row = summarize((s) => {
      s.addStream('audio', UNCLASSIFIED, score(3.9));
      s.addStream('vbss', poor('frame_loss'), null);
    });
    expect(row).toMatchObject({ audio_streams_classified: 0, verdict: 'unclassified', worst_reasons: '', min_mos: 3.9 });
  });

  it('unites the audio poor reasons in POOR_REASONS order and keeps the lowest MOS', () => {
    const row = summarize((s) => {
      s.addStream('audio', poor('jitter', 'concealed'), score(3.1));
      s.addStream('audio', poor('rtt', 'jitter'), score(2.4));
      s.addStream('audio', GOOD, score(4.4));
      s.addStream('video', poor('post_fec_loss'), score(1));
    });
    expect(row).toMatchObject({ audio_streams_classified: 3, audio_streams_poor: 2, verdict: 'poor', worst_reasons: 'rtt;jitter;concealed', min_mos: 2.4 });
  });

  it('reads failure stages of every leg', () => {
    expect(summarize((s) => s.addLeg({ stage: 'callSetup' }, null, null))).toMatchObject({ setup_failed: true, dropped: false });
    expect(summarize((s) => s.addLeg({ stage: 'midcall', reason: 'x' }, null, null))).toMatchObject({ setup_failed: false, dropped: true });
    expect(summarize((s) => s.addLeg({ stage: 'CallSetup' }, undefined, undefined))).toMatchObject({ setup_failed: false, dropped: false });
  });
});
