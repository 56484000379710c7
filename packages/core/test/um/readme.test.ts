import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UM_TABLES } from '../../src/um/tables.js';
import { DOCUMENTED_REQUEST, DOCUMENTED_RESPONSE } from './fixtures.js';

const README = readFileSync(new URL('../../src/um/README.md', import.meta.url), 'utf8');

describe('src/um/README.md', () => {
  it.each(UM_TABLES.map((table) => [table.name, table] as const))('documents every column of %s as the schema does', (_name, table) => {
    const section = README.slice(README.indexOf(`### ${table.name}\n`));
    expect(section.length).toBeLessThan(README.length);
    for (const column of table.columns) expect(section).toContain(`| \`${column.name}\` | ${column.type} | ${column.doc} |`);
  });

  it('shows the documented exchange verbatim', () => {
    expect(README).toContain(DOCUMENTED_REQUEST);
    expect(README).toContain(DOCUMENTED_RESPONSE);
  });
});
