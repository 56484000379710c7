/** ShardWriter: whole shards only under their final name, lines round-trip, no listener piles up under back-pressure. */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ShardWriter } from '../../src/fetch/shards.js';
import { useGraph } from './setup.js';

const fixture = useGraph('callaudit-shards-');

describe('ShardWriter', () => {
  it('writes many large lines through gzip back-pressure, visible only when cut, without piling up listeners', async () => {
    const root = fixture.newOut();
    await mkdir(join(root, 'records'), { recursive: true });
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      const writer = new ShardWriter(root, 'records', 1, { records: 1000, bytes: 1 << 30 });
      // incompressible lines, so the compressor pushes back often
      const lines = Array.from({ length: 120 }, (_, i) => JSON.stringify({ id: `id-${i}`, pad: randomBytes(48 * 1024).toString('base64') }));
      for (const [i, line] of lines.entries()) expect(await writer.add(line, `id-${i}`)).toBeNull();
      expect((await readdir(join(root, 'records'))).every((name) => name.startsWith('.'))).toBe(true);
      const shard = await writer.cut();
      expect(shard).toMatchObject({ file: 'records/part-00001.ndjson.gz', records: 120 });
      expect(shard!.ids).toEqual(lines.map((_, i) => `id-${i}`));
      expect(await readdir(join(root, 'records'))).toEqual(['part-00001.ndjson.gz']);
      expect(gunzipSync(await readFile(join(root, 'records', 'part-00001.ndjson.gz'))).toString('utf8')).toBe(lines.map((line) => `${line}\n`).join(''));
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
