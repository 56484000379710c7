/** `pnpm gen`: see datasets/README.md, or run it with --help. */
import { main } from './src/cli.js';

process.exitCode = await main(process.argv.slice(2), process.stdout, process.stderr);
