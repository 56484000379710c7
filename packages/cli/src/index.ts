import { Command, CommanderError } from 'commander';
import { ErrorCode, isCallauditError } from '@callaudit/core';
import { ExitCode } from './exit-codes.js';
import { registerCommands } from './commands/index.js';
import type { Io } from './io.js';
import { processIo } from './io.js';

export { ExitCode } from './exit-codes.js';
export type { Io } from './io.js';

/** Builds the program. Tests call this with their own Io and an argv array. */
export function createCLI(io: Io): Command {
  const program = new Command('callaudit')
    .description('Audit Microsoft Teams / Skype call quality from exported Graph callRecords dumps.')
    .version(io.version, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .exitOverride()
    // Options go with the command they follow: `fetch --since` and `fetch pstn --since` are each their own.
    .enablePositionalOptions()
    .addHelpText(
      'after',
      `
Examples:
  $ callaudit report dumps/ --out audit          # every table, CSV + Parquet, and a summary
  $ callaudit summary 'exports/*.json.gz'        # the overview on the terminal, no files
  $ callaudit validate dumps/ --fail-on-rejects  # exit 4 if any record is rejected
  $ callaudit rules --rules cqd-classic          # the thresholds in force
  $ callaudit um call-info --url <ews-url> --call-id <id> --watch
  $ callaudit fetch --since 2026-11-01 --until 2026-11-08 --out nov  # from Graph ($CALLAUDIT_GRAPH_TOKEN)

Exit codes: 0 ok, 1 internal error, 2 usage, 3 input/config/output, 4 rejects (--fail-on-rejects),
5 remote service (Exchange UM, Microsoft Graph), 6 no record accepted, 130 interrupted. Run 'callaudit <command> --help' for a command's options.`,
    );
  registerCommands(program, io);
  return program;
}

/** Maps an error to one line on stderr and an exit code. Never a stack trace for a user mistake. */
export function exitCodeFor(error: unknown, io: Io): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return ExitCode.Ok;
    return ExitCode.Usage;
  }
  if (isCallauditError(error)) {
    const where = error.file === undefined ? '' : `${error.file}${error.offset === undefined ? '' : ` at byte ${error.offset}`}: `;
    io.stderr.write(`callaudit: ${where}${error.message}\n`);
    switch (error.code) {
      case ErrorCode.Usage:
        return ExitCode.Usage;
      case ErrorCode.Input:
      case ErrorCode.Config:
      case ErrorCode.Output:
        return ExitCode.Input;
      case ErrorCode.Interrupted:
        return ExitCode.Interrupted;
      case ErrorCode.Remote:
        return ExitCode.Remote;
      default:
        return ExitCode.Internal;
    }
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr.write(`callaudit: internal error (please report it): ${detail}\n`);
  return ExitCode.Internal;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const program = createCLI(io);
  if (argv.length <= 2) {
    // no command: the help, as an error (a script that forgot its arguments must not pass)
    program.outputHelp({ error: true });
    return ExitCode.Usage;
  }
  try {
    await program.parseAsync([...argv]);
    return io.exitCode ?? ExitCode.Ok;
  } catch (error) {
    return exitCodeFor(error, io);
  }
}
