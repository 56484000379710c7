import { describe, expect, it } from 'vitest';
import { EXIT_UNSUPPORTED } from '../child/walk.js';
import { toSample } from '../src/measure.js';
import type { ProcessRun } from '../src/measure.js';

const run = (over: Partial<ProcessRun>): ProcessRun => ({
  wallMs: 1234,
  code: 0,
  signal: null,
  stderr: '',
  hook: { maxRssKb: 2048, cpuMs: 2500, counts: { records: 5, streams: 20 } },
  ...over,
});

describe('toSample', () => {
  it("takes a child's counts from the hook and the wall time from the run", () => {
    expect(toSample(run({}), 'A', null)).toEqual({ ok: true, wallMs: 1234, maxRssKb: 2048, cpuMs: 2500, records: 5, streams: 20 });
  });
  it("takes a report's counts from its summary, not the hook", () => {
    const hookless = run({ hook: { maxRssKb: 2048, counts: null } });
    expect(toSample(hookless, 'report', { counts: { records: 7, streams: 9 } })).toMatchObject({ ok: true, records: 7, streams: 9 });
  });
  it('reads a child\'s "unsupported" exit as a run that cannot happen, with its reason', () => {
    const s = toSample(run({ code: EXIT_UNSUPPORTED, stderr: 'unsupported: 1073741824 bytes do not fit in one string\n' }), 'A', null);
    expect(s).toEqual({ ok: false, reason: '1073741824 bytes do not fit in one string' });
  });
  it('never reads a report\'s exit code as "unsupported"', () => {
    expect(() => toSample(run({ code: EXIT_UNSUPPORTED, stderr: 'boom' }), 'report', { counts: null })).toThrow(/report failed \(exit 97\):\nboom/);
  });
  it('throws on a crash, a signal, or a missing measurement', () => {
    expect(() => toSample(run({ code: 1, stderr: 'SyntaxError: x' }), 'B on f', null)).toThrow(/B on f failed \(exit 1\):\nSyntaxError: x/);
    expect(() => toSample(run({ code: null, signal: 'SIGKILL' }), 'B', null)).toThrow(/exit SIGKILL/);
    expect(() => toSample(run({ hook: null }), 'B', null)).toThrow(/no measurement written/);
  });
  it('throws when a child published no counts', () => {
    expect(() => toSample(run({ hook: { maxRssKb: 1, counts: null } }), 'ingest', null)).toThrow(/published no counts/);
  });
});
