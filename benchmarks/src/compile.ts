/**
 * The measured child scripts run as plain `node`, not under tsx: tsx costs about a second and
 * 35 MB of RSS per process, which would flatter callaudit against the baselines. So child/*.ts is
 * transpiled (type stripping, one file at a time) into .bench/child/*.js before measuring.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ts from 'typescript';

export async function compileChildren(sourceDir: string, outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  for (const name of await readdir(sourceDir)) {
    if (!name.endsWith('.ts')) continue;
    const source = await readFile(join(sourceDir, name), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      fileName: name,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true, sourceMap: false },
    });
    await writeFile(join(outDir, name.replace(/\.ts$/, '.js')), outputText);
  }
}
