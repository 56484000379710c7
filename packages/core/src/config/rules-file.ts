import { readFile, stat } from 'node:fs/promises';
import { ErrorCode, fail, isCallauditError } from '../errors.js';
import { parseRuleSet } from '../quality/schema.js';
import type { RuleSet } from '../quality/types.js';

/** A rules file is a few KB; anything past this is not one (a call dump passed by mistake). */
const MAX_RULE_FILE_BYTES = 1024 * 1024;

/** Reads and validates a custom rule file (JSON, UTF-8, BOM allowed). Every failure is E_CONFIG. */
export async function loadRuleFile(path: string): Promise<RuleSet> {
  let text: string;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw fail(ErrorCode.Config, `${path}: not a rules file (not a regular file)`);
    if (info.size > MAX_RULE_FILE_BYTES) {
      throw fail(ErrorCode.Config, `${path}: not a rules file (${info.size} bytes; rule files are small JSON, at most ${MAX_RULE_FILE_BYTES})`);
    }
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isCallauditError(error)) throw error;
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such rules file' : `cannot read rules file (${(error as Error).message})`;
    throw fail(ErrorCode.Config, `${path}: ${reason}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw fail(ErrorCode.Config, `${path}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
  return parseRuleSet(json, path);
}
