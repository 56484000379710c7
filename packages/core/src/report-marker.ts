/**
 * How a callaudit report folder is told apart from any other folder: every report holds a
 * `.callaudit-report` file naming the tool and its version (written by OutputDir). `--force`
 * replaces only such a folder, and input folders skip one found inside them. A report written
 * before the marker existed is recognized by its summary.json naming callaudit as its tool.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { coreVersion } from './version.js';

export const REPORT_MARKER = '.callaudit-report';

/** The marker file's content. */
export function reportMarkerText(): string {
  return `${JSON.stringify({ tool: 'callaudit', version: coreVersion() })}\n`;
}

/** Whether a folder is a callaudit report: it holds the marker, or (older reports) a summary.json by callaudit. */
export async function isReportFolder(folder: string): Promise<boolean> {
  if (
    await stat(join(folder, REPORT_MARKER)).then(
      (s) => s.isFile(),
      () => false,
    )
  )
    return true;
  try {
    const summary = JSON.parse(await readFile(join(folder, 'summary.json'), 'utf8')) as { tool?: { name?: unknown } } | null;
    return summary?.tool?.name === 'callaudit';
  } catch {
    return false;
  }
}
