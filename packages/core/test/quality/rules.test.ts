import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallauditError, ErrorCode } from '../../src/errors.js';
import { loadRuleFile } from '../../src/config/rules-file.js';
import { BUILTIN_RULE_SETS, describeRules, parseRuleSet, resolveRules } from '../../src/quality/index.js';

const CQD = BUILTIN_RULE_SETS.cqd;
/** A custom rule file as a user writes it, starting from `callaudit rules --json`. */
const custom = (): Record<string, unknown> => JSON.parse(JSON.stringify({ ...CQD, name: 'strict' })) as Record<string, unknown>;

/** A copy of a custom rule file with one field set (undefined: removed). */
function customWith(path: readonly (string | number)[], value: unknown, from = custom()): Record<string, unknown> {
  const copy = structuredClone(from);
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

function configError(run: () => unknown): CallauditError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CallauditError);
    expect((error as CallauditError).code).toBe(ErrorCode.Config);
    return error as CallauditError;
  }
  throw new Error('expected an E_CONFIG error');
}

describe('built-in rule sets', () => {
  it.each(Object.entries(BUILTIN_RULE_SETS))('%s is valid in the custom-file format and survives JSON and structured clone', (name, rules) => {
    expect(parseRuleSet(JSON.parse(JSON.stringify(rules)), 'x')).toEqual(rules);
    expect(resolveRules(structuredClone(rules))).toEqual(rules);
    expect(rules.name).toBe(name);
  });
  it('cannot be changed by a caller', () => {
    expect(() => {
      (CQD.audio.thresholds[0] as { value: number }).value = 1;
    }).toThrow(TypeError);
  });
});

describe('resolveRules', () => {
  it('defaults to cqd and knows cqd-classic', () => {
    expect(resolveRules()).toBe(CQD);
    expect(resolveRules('cqd')).toBe(CQD);
    expect(resolveRules('cqd-classic')).toBe(BUILTIN_RULE_SETS['cqd-classic']);
  });
  it.each(['CQD', 'classic', '', 'toString', '__proto__'])('rejects the unknown name %j', (name) => {
    expect(configError(() => resolveRules(name)).message).toMatch(/unknown rule set .*cqd or cqd-classic/);
  });
  it('re-validates a rule object', () => {
    const broken = { ...CQD, video: { ...CQD.video, mode: 'all' } } as unknown as typeof CQD;
    expect(configError(() => resolveRules(broken)).message).toContain('video.mode');
  });
});

describe('parseRuleSet', () => {
  it('fills defaults: no gate, empty description, name from the origin', () => {
    const { name: _name, description: _description, ...rest } = custom();
    const bare = { ...rest, audio: { mode: 'any', thresholds: [{ metric: 'jitter_avg_ms', comparison: '>', value: 20, reason: 'jitter' }] } };
    const parsed = parseRuleSet(bare, 'site.json');
    expect(parsed.name).toBe('site.json');
    expect(parsed.description).toBe('');
    expect(parsed.audio.gate).toBeNull();
    expect(parseRuleSet({ ...bare, $schema: './rules.schema.json' }, 'x').name).toBe('x');
  });

  it.each([
    ['a misspelt metric', ['audio', 'thresholds', 1, 'metric'], 'packet_loss', 'rules.json: audio.thresholds[1].metric: ', 'got "packet_loss"'],
    ['an unknown comparison', ['video', 'thresholds', 0, 'comparison'], '=>', 'video.thresholds[0].comparison', 'got "=>"'],
    ['a value given as a string', ['audio', 'gate', 'value'], '500', 'audio.gate.value', 'expected number'],
    ['a missing value', ['vbss', 'thresholds', 2, 'value'], undefined, 'vbss.thresholds[2].value: missing (expected number)', ''],
    ['an unknown reason', ['audio', 'thresholds', 0, 'reason'], 'latency', 'audio.thresholds[0].reason', 'got "latency"'],
    ['an unknown mode', ['video', 'mode'], 'first', 'video.mode', '"any"|"first_available"'],
    ['an unknown field', ['video', 'thresold'], [], 'video.thresold: unknown field', ''],
    ['a field on a gate', ['audio', 'gate', 'reason'], 'x', 'audio.gate.reason: unknown field', ''],
    ['no thresholds', ['vbss', 'thresholds'], [], 'vbss.thresholds', '>=1'],
    ['a missing kind', ['vbss'], undefined, 'vbss: missing (expected object)', ''],
    ['a kind that is not an object', ['audio'], 'strict', 'audio:', 'expected object'],
    ['an empty name', ['name'], '  ', 'name: ', 'got "  "'],
    ['a gate of the wrong shape', ['audio', 'gate'], [500], 'audio.gate', 'expected object'],
    [
      'a non-finite value (from a caller: JSON has none)',
      ['audio', 'thresholds', 0, 'value'],
      Number.POSITIVE_INFINITY,
      'audio.thresholds[0].value',
      'Infinity',
    ],
  ] as const)('names the field for %s', (_what, path, value, field, detail) => {
    const message = configError(() => parseRuleSet(customWith(path, value), 'rules.json')).message;
    expect(message.startsWith('rules.json: ')).toBe(true);
    expect(message).toContain(field);
    expect(message).toContain(detail);
  });

  it.each([
    ['null', null],
    ['an array', [CQD]],
    ['a number', 42],
    ['a string', 'cqd'],
  ])('rejects %s at the top level', (_what, json) => {
    expect(configError(() => parseRuleSet(json, 'r.json')).message).toMatch(/^r\.json: \(top level\): .*expected object/);
  });

  it('reports the first three problems of many, and how many more', () => {
    let rules = custom();
    for (const kind of ['audio', 'video', 'vbss']) rules = customWith([kind, 'mode'], 'sometimes', rules);
    rules = customWith(['audio', 'thresholds', 0, 'value'], Number.NaN, rules);
    rules = customWith(['video', 'thresholds', 0, 'value'], 'x', rules);
    const { message } = configError(() => parseRuleSet(rules, 'r.json'));
    expect(message.split('; ')).toHaveLength(3);
    expect(message).toMatch(/\(and 2 more\)$/);
  });

  it('keeps a long offending value short in the message', () => {
    const rules = customWith(['audio', 'mode'], 'x'.repeat(10_000));
    expect(configError(() => parseRuleSet(rules, 'r')).message.length).toBeLessThan(300);
  });
});

describe('loadRuleFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'callaudit-rules-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  async function file(name: string, text: string | Buffer): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  }
  async function loadError(path: string): Promise<CallauditError> {
    const error = await loadRuleFile(path).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CallauditError);
    expect((error as CallauditError).code).toBe(ErrorCode.Config);
    return error as CallauditError;
  }

  it('reads a valid file, pretty or minified, with or without a BOM', async () => {
    const pretty = await file('pretty.json', JSON.stringify(custom(), null, 2));
    const bom = await file('bom.json', `\uFEFF${JSON.stringify(custom())}`);
    expect((await loadRuleFile(pretty)).name).toBe('strict');
    expect(await loadRuleFile(bom)).toEqual(await loadRuleFile(pretty));
  });
  it('names the file and the field of an invalid rule', async () => {
    const path = await file('bad-field.json', JSON.stringify(customWith(['audio', 'thresholds', 1, 'metric'], 'loss')));
    expect((await loadError(path)).message).toBe(
      `${path}: audio.thresholds[1].metric: Invalid option: expected one of "packet_utilization"|"rtt_avg_ms"|"packet_loss_avg"|"jitter_avg_ms"|"audio_degradation_avg"|"concealed_ratio_avg"|"video_frame_loss_pct_avg"|"video_frame_rate_avg"|"post_fec_packet_loss" (got "loss")`,
    );
  });
  it('rejects truncated JSON', async () => {
    const text = JSON.stringify(custom(), null, 2);
    const path = await file('truncated.json', text.slice(0, text.length / 2));
    expect((await loadError(path)).message).toMatch(/truncated\.json: not valid JSON/);
  });
  it('rejects an empty file', async () => {
    expect((await loadError(await file('empty.json', ''))).message).toMatch(/empty\.json: not valid JSON/);
  });
  it('rejects a missing file, a directory and a huge file', async () => {
    expect((await loadError(join(dir, 'nope.json'))).message).toMatch(/nope\.json: no such rules file/);
    await mkdir(join(dir, 'folder.json'));
    expect((await loadError(join(dir, 'folder.json'))).message).toMatch(/not a regular file/);
    const huge = await file('dump.json', Buffer.alloc(1024 * 1024 + 1, 0x20));
    expect((await loadError(huge)).message).toMatch(/dump\.json: not a rules file \(1048577 bytes/);
  });
});

describe('the health block', () => {
  it('is the default (5%, 20%, 30 streams) in both built-in sets and in a file without one', () => {
    const defaults = { degraded_pct: 5, critical_pct: 20, min_classified_audio: 30 };
    expect(BUILTIN_RULE_SETS.cqd.health).toEqual(defaults);
    expect(BUILTIN_RULE_SETS['cqd-classic'].health).toEqual(defaults);
    expect(parseRuleSet(customWith(['health'], undefined), 'site.json').health).toEqual(defaults);
  });

  it('takes each field given and defaults the others', () => {
    expect(parseRuleSet(customWith(['health'], { critical_pct: 12.5 }), 'x').health).toEqual({ degraded_pct: 5, critical_pct: 12.5, min_classified_audio: 30 });
    expect(parseRuleSet(customWith(['health'], { degraded_pct: 0, critical_pct: 0, min_classified_audio: 0 }), 'x').health).toEqual({
      degraded_pct: 0,
      critical_pct: 0,
      min_classified_audio: 0,
    });
    expect(parseRuleSet(customWith(['health'], { degraded_pct: 20, critical_pct: 20 }), 'x').health.degraded_pct).toBe(20);
  });

  it.each([
    ['degraded above critical', { degraded_pct: 21, critical_pct: 20 }, 'degraded_pct must not be above critical_pct'],
    ['a percentage over 100', { critical_pct: 100.5 }, 'health.critical_pct'],
    ['a negative percentage', { degraded_pct: -1 }, 'health.degraded_pct'],
    ['a fractional minimum', { min_classified_audio: 2.5 }, 'health.min_classified_audio'],
    ['a misspelt field', { critical: 20 }, 'health.critical: unknown field'],
  ])('refuses %s', (_what, health, message) => {
    expect(configError(() => parseRuleSet(customWith(['health'], health), 'rules.json')).message).toContain(message);
  });

  it('is shown by describeRules', () => {
    const text = describeRules(parseRuleSet(customWith(['health'], { degraded_pct: 4, critical_pct: 15, min_classified_audio: 50 }), 'x'));
    expect(text).toContain('insufficient under 50 classified audio streams');
    expect(text).toContain('critical at >= 15%, degraded at >= 4%, else healthy');
  });
});
