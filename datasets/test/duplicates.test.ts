import { describe, expect, it } from 'vitest';
import type { GraphRecord } from '../src/index.js';
import { generateRecords } from '../src/index.js';
import { SMALL } from './helpers.js';

/** The record without what a new version may change. */
function content(record: GraphRecord): string {
  const { version: _v, lastModifiedDateTime: _m, ...rest } = record;
  return JSON.stringify(rest);
}

describe('repeated ids', () => {
  const records = [...generateRecords({ records: 600, seed: 31, ...SMALL, duplicateShare: 0.25, identicalCopyShare: 0.3 })];
  const byId = new Map<string, { at: number; record: GraphRecord }[]>();
  records.forEach((record, at) => {
    byId.set(record.id as string, [...(byId.get(record.id as string) ?? []), { at, record }]);
  });
  const repeated = [...byId.values()].filter((copies) => copies.length > 1);

  it('repeats about the configured share of records', () => {
    const repeats = records.length - byId.size;
    expect(repeats / records.length).toBeGreaterThan(0.18);
    expect(repeats / records.length).toBeLessThan(0.32);
  });

  it('repeats the same call: only version and lastModifiedDateTime change', () => {
    for (const copies of repeated) for (const { record } of copies) expect(content(record)).toBe(content(copies[0]!.record));
  });

  it('gives a copy either identical bytes or a version no other copy has, the higher version modified later', () => {
    let identical = 0;
    for (const copies of repeated) {
      const distinct = new Map<number, string>();
      for (const { record } of copies) {
        const text = JSON.stringify(record);
        const seen = distinct.get(record.version as number);
        if (seen === undefined) distinct.set(record.version as number, text);
        else {
          expect(text).toBe(seen);
          identical++;
        }
      }
      const byVersion = [...distinct.entries()].sort((a, b) => a[0] - b[0]).map(([, text]) => JSON.parse(text) as GraphRecord);
      for (let i = 1; i < byVersion.length; i++) {
        expect(Date.parse(byVersion[i]!.lastModifiedDateTime as string)).toBeGreaterThan(Date.parse(byVersion[i - 1]!.lastModifiedDateTime as string));
      }
    }
    expect(identical).toBeGreaterThan(10);
  });

  it('emits updates (a higher version later) and stale copies (a lower version later)', () => {
    let updates = 0;
    let stale = 0;
    for (const copies of repeated) {
      const first = copies[0]!.record.version as number;
      for (const { record } of copies.slice(1)) {
        if ((record.version as number) > first) updates++;
        if ((record.version as number) < first) stale++;
      }
    }
    expect(updates).toBeGreaterThan(30);
    expect(stale).toBeGreaterThan(0);
  });

  it('repeats within the last 500 new records, and none when the share is 0', () => {
    for (const copies of repeated) expect(copies.at(-1)!.at - copies[0]!.at).toBeLessThan(700);
    const unique = [...generateRecords({ records: 300, seed: 31, ...SMALL, duplicateShare: 0 })];
    expect(new Set(unique.map((r) => r.id)).size).toBe(300);
  });
});
