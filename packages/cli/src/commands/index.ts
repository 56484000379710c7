import type { Command } from 'commander';
import type { Io } from '../io.js';

/** Each command lives in its own file and registers itself here. */
export function registerCommands(_program: Command, _io: Io): void {}
