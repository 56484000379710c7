import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, parseSize } from '../src/cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callaudit-gen-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function gen(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { write: (t: string) => (out += t) }, { write: (t: string) => (err += t) });
  return { code, out, err };
}

describe('pnpm gen', () => {
  it("writes a dataset and says how much, pnpm's leading -- included", async () => {
    const path = join(dir, 'out.ndjson');
    const run = await gen('--', '--records', '4', '--format', 'ndjson', '--seed', '3', '--out', path);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^wrote 4 records, [\d.]+ MB to .*out\.ndjson in [\d.]+ s \([\d.]+ MB\/s\)\n$/);
    expect((await readFile(path, 'utf8')).trimEnd().split('\n')).toHaveLength(4);
  });

  it('takes --bytes with units, --poor and --duplicates', async () => {
    const path = join(dir, 'sized.json');
    const run = await gen('--bytes', '200KB', '--format', 'array', '--seed', '1', '--poor', '0.05', '--duplicates', '0', '--out', path);
    expect(run.code).toBe(0);
    expect((await readFile(path)).length).toBeGreaterThanOrEqual(200_000);
  });

  it('exits 2 with the reason and the usage on bad options', async () => {
    const cases = [
      ['--records', '3', '--format', 'xml', '--out', 'x'],
      ['--records', 'three', '--format', 'array', '--out', 'x'],
      ['--format', 'array', '--out', 'x'],
      ['--records', '3', '--format', 'array'],
      ['--records', '3', '--out', 'x'],
      ['--records', '3', '--format', 'array', '--out', 'x', '--wobble'],
      ['--records', '3', '--format', 'ndjson', '--out', 'x', '--pretty'],
      ['--bytes', 'lots', '--format', 'array', '--out', 'x'],
      ['--records', '3', '--format', 'array', '--out', 'x', '--poor', '0.3'],
      ['stray'],
    ];
    for (const argv of cases) {
      const run = await gen(...argv);
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.err, argv.join(' ')).toMatch(/^gen: .+\n\nUsage:/);
    }
  });

  it('prints the usage for --help', async () => {
    const run = await gen('--help');
    expect(run.code).toBe(0);
    expect(run.out).toContain('--format');
  });

  it('parses sizes in decimal and binary units', () => {
    expect(parseSize('300MB')).toBe(300_000_000);
    expect(parseSize('1.5gb')).toBe(1_500_000_000);
    expect(parseSize('64KiB')).toBe(65_536);
    expect(parseSize('1000')).toBe(1000);
    expect(() => parseSize('-1MB')).toThrow();
    expect(() => parseSize('MB')).toThrow();
  });
});
