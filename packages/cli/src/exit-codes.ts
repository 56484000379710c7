/** callaudit's exit codes: part of its contract, documented in the README. */
export const ExitCode = {
  Ok: 0,
  /** An unexpected failure (a bug): the message says so. */
  Internal: 1,
  /** Bad options or arguments. */
  Usage: 2,
  /** An input could not be read, or a rules/config file is invalid, or the output is unusable. */
  Input: 3,
  /** The run finished, but some records were rejected and --fail-on-rejects was given. */
  Rejects: 4,
  /** A remote service (Exchange UM) answered with an error or could not be reached. */
  Remote: 5,
  /**
   * The inputs were read but no record was accepted (all rejected or filtered, or none found): the
   * report is still written. Takes precedence over Rejects.
   */
  NothingAccepted: 6,
  /**
   * report --fail-on-breach: an entity of a chosen rollup is critical, or a headline CQD target is
   * missed. The report is still written. NothingAccepted wins over it; it wins over Rejects.
   */
  Breach: 7,
  /** Interrupted (SIGINT / SIGTERM); no report was left behind. */
  Interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** What a finished run (report, streams, validate, summary) can have to say through its exit code. */
export interface RunOutcome {
  /** The inputs were read but no record was accepted. */
  readonly nothingAccepted: boolean;
  /** report --fail-on-breach found a breach. */
  readonly breach: boolean;
  /** --fail-on-rejects was given and a record was rejected. */
  readonly rejects: boolean;
}

/**
 * The exit codes of a finished run, strongest first: the first whose outcome holds is the exit
 * code, none gives Ok. As the README's exit code table says: 6 wins over 7 and 4 (a run that
 * accepted nothing has nothing to judge), 7 over 4 (a quality breach is the graver finding).
 */
export const OUTCOME_PRECEDENCE: ReadonlyArray<readonly [keyof RunOutcome, ExitCode]> = [
  ['nothingAccepted', ExitCode.NothingAccepted],
  ['breach', ExitCode.Breach],
  ['rejects', ExitCode.Rejects],
];

/** A finished run's exit code (see OUTCOME_PRECEDENCE). */
export function outcomeExitCode(outcome: RunOutcome): ExitCode {
  return OUTCOME_PRECEDENCE.find(([name]) => outcome[name])?.[1] ?? ExitCode.Ok;
}
