/**
 * What a task that throws means. Only a worker that dies (exits, runs out of memory) is retried
 * and then has its records rejected as `worker_failed` (settle.ts). An error a task throws is not
 * the data's fault: a CallauditError (an input that cannot be read, a write that failed) stops the
 * run with its code, and any other error is a bug: E_INTERNAL, naming the task's input range.
 */
import { ErrorCode, fail, isCallauditError } from '../errors.js';
import type { CallauditError } from '../errors.js';
import type { PartTask, Task, TaskFailure } from './protocol.js';

/** An error thrown by a task, as data that crosses to the main thread. */
export function toFailure(error: unknown): TaskFailure {
  const message = error instanceof Error ? error.message : String(error);
  const stack = error instanceof Error ? (error.stack ?? null) : null;
  if (!isCallauditError(error)) return { failure: { code: null, message, stack } };
  return {
    failure: {
      code: error.code,
      message,
      stack,
      ...(error.file === undefined ? {} : { file: error.file }),
      ...(error.offset === undefined ? {} : { offset: error.offset }),
    },
  };
}

export function isFailure(value: unknown): value is TaskFailure {
  return typeof value === 'object' && value !== null && 'failure' in value;
}

/** The error the run stops with, for a task that threw. */
export function taskError(task: Task | PartTask, { failure }: TaskFailure): CallauditError {
  const cause = Object.assign(new Error(failure.message), { stack: failure.stack ?? undefined });
  if (failure.code !== null)
    return fail(failure.code, failure.message, {
      cause,
      ...(failure.file === undefined ? {} : { file: failure.file }),
      ...(failure.offset === undefined ? {} : { offset: failure.offset }),
    });
  return fail(ErrorCode.Internal, `a bug in callaudit (please report it): ${failure.message}, while processing ${describeTask(task)}`, { cause });
}

/** Which input bytes (or output part) a task was about. */
export function describeTask(task: Task | PartTask): string {
  if ('spool' in task) return `the Parquet part ${task.target}`;
  if (task.kind === 'range') return `${task.file} bytes ${task.start}-${task.end}`;
  if (task.kind === 'stitch') return `the saved sessions of call(s) ${task.calls.map((call) => call.callId).join(', ')}`;
  const first = task.records[0];
  const last = task.records.at(-1);
  if (first === undefined || last === undefined) return 'an empty batch';
  const end = last.offset + (last.end - last.start);
  return first.file === last.file ? `${first.file} bytes ${first.offset}-${end}` : `${first.file} byte ${first.offset} to ${last.file} byte ${end}`;
}
