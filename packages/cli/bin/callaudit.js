#!/usr/bin/env node
// A signal while the CLI is still loading: nothing has been written yet. Once loaded, the CLI
// handles SIGINT / SIGTERM itself (see src/io.ts). The package imports itself by name: tests run
// this file against the sources with --conditions=@callaudit/source --import tsx.
const early = () => {
  process.stderr.write('callaudit: interrupted; no report was written\n');
  process.exit(130);
};
process.once('SIGINT', early);
process.once('SIGTERM', early);
const { main } = await import('@callaudit/cli');
process.off('SIGINT', early);
process.off('SIGTERM', early);
main(process.argv).then((code) => {
  process.exitCode = code;
});
