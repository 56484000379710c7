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
  /** Interrupted (SIGINT / SIGTERM); no report was left behind. */
  Interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
