import { describe, expect, it } from 'vitest';
import * as ingest from '../../src/ingest/index.js';
import { ErrorCode } from '../../src/errors.js';

describe('ingest exports', () => {
  it('exports exactly its public API (change on purpose only)', () => {
    expect(Object.keys(ingest).sort()).toEqual([
      'DEFAULT_INCLUDE',
      'DEFAULT_MAX_RECORD_BYTES',
      'RecordFramer',
      'expandInputs',
      'isGzip',
      'probeInput',
      'readRecords',
      'sniffFormat',
    ]);
  });

  it('refuses a push after end with an internal error', () => {
    const framer = new ingest.RecordFramer({ record: () => {}, problem: () => {} }, { file: 'x' });
    framer.end();
    expect(() => framer.push(new Uint8Array([0x7b]))).toThrow(expect.objectContaining({ code: ErrorCode.Internal }));
  });
});
