/** The terminal summary's worst groups: places, devices and clients, with their volume, never under the minimum. */
import { describe, expect, it } from 'vitest';
import { buildSummary, renderSummaryText } from '../../src/engine/summary.js';
import { emptyCounts } from '../../src/engine/result.js';
import type { ReportResult } from '../../src/engine/run.js';
import type { CellValue, ColumnBatch, ColumnDef } from '../../src/table/schema.js';

function rollup(name: string, keys: string[], rows: Array<[...CellValue[]]>): { name: string; batch: ColumnBatch } {
  const columns: ColumnDef[] = [
    ...keys.map((k): ColumnDef => ({ name: k, type: 'string', doc: '' })),
    { name: 'audio_classified', type: 'int', doc: '' },
    { name: 'audio_poor', type: 'int', doc: '' },
  ];
  return {
    name: `rollup_${name}`,
    batch: { schema: { name: `rollup_${name}`, columns }, length: rows.length, columns: columns.map((_, c) => rows.map((row) => row[c] ?? null)) },
  };
}

function result(rollups: ReportResult['rollups'], minClassifiedAudio = 30): ReportResult {
  return {
    inputs: [],
    rules: { name: 'cqd', health: { degraded_pct: 5, critical_pct: 20, min_classified_audio: minClassifiedAudio } } as ReportResult['rules'],
    rollups,
    logRollups: [],
    outputs: [],
    out: null,
    workers: 0,
    startedAt: new Date(0),
    elapsedMs: 1000,
    bytesRead: 0,
    jsonBytes: 0,
    ledgerBytes: 0,
    warnings: [],
    firstRejects: [],
    counts: emptyCounts(),
  };
}

describe('worst groups', () => {
  // classified and poor are audio streams (audio_classified, audio_poor): what health judges
  const rollups = [
    rollup(
      'building',
      ['building', 'city'],
      [
        ['SEA-B40', 'Seattle', 100, 5],
        ['BLR-ECOSPACE', 'Bengaluru', 40, 12],
        ['Tiny', 'X', 29, 29], // under the health minimum volume (30 classified audio streams): never shown
        [null, null, 500, 400], // no key: not a place to act on
        ['Fine', 'Y', 50, 0], // no poor stream: not among the worst
      ],
    ),
    rollup(
      'capture_device',
      ['device_capture'],
      [
        ['Jabra', 20, 2], // was shown under the old floor of 20 classified streams; not under 30 classified audio
        ['Realtek', 30, 9], // exactly at the floor
      ],
    ),
    rollup('client_version', ['product', 'client_version'], [['teams', '1.6', 25, 1]]),
  ];
  const summary = buildSummary(result(rollups), 'test');

  it('ranks buildings, devices and clients by poor audio %, with their counts, at least 30 classified audio streams', () => {
    expect(summary.headline.worst_groups).toEqual([
      { rollup: 'building', group: { building: 'BLR-ECOSPACE', city: 'Bengaluru' }, classified: 40, poor: 12, poor_pct: 30 },
      { rollup: 'building', group: { building: 'SEA-B40', city: 'Seattle' }, classified: 100, poor: 5, poor_pct: 5 },
      { rollup: 'capture_device', group: { device_capture: 'Realtek' }, classified: 30, poor: 9, poor_pct: 30 },
    ]);
  });

  it("follows the rules file's health minimum: 20 shows Tiny, Jabra and the client, 41 leaves one building", () => {
    const low = buildSummary(result(rollups, 20), 'test').headline.worst_groups.map((w) => Object.values(w.group)[0]);
    expect(low).toEqual(['Tiny', 'BLR-ECOSPACE', 'SEA-B40', 'Realtek', 'Jabra', 'teams']);
    const high = buildSummary(result(rollups, 41), 'test').headline.worst_groups.map((w) => Object.values(w.group)[0]);
    expect(high).toEqual(['SEA-B40']);
  });

  it('prints each with its volume', () => {
    const text = renderSummaryText(summary);
    expect(text).toContain('  building       BLR-ECOSPACE / Bengaluru');
    expect(text).toMatch(/capture_device +Realtek +30\.0% \(9\/30\)/);
    expect(text).not.toContain('Tiny');
  });
});
