import type { Command } from 'commander';
import type { Io } from '../io.js';
import { registerFetchCommand } from './fetch.js';
import { registerReportCommands } from './report.js';
import { registerRulesCommand } from './rules.js';
import { registerUmCommand } from './um.js';

/** Each command lives in its own file and registers itself here. */
export function registerCommands(program: Command, io: Io): void {
  registerReportCommands(program, io);
  registerRulesCommand(program, io);
  registerUmCommand(program, io);
  registerFetchCommand(program, io);
}
