/**
 * Questions the controllers ask of a task's two states: what the control plane wants of it
 * (`desiredState`) and what its node last reported (`status.state`).
 */
import { isDesiredToRun, isTerminalTaskState, type Task } from '../objects/task.js';

const UNPLACED: ReadonlySet<string> = new Set(['new', 'allocated', 'pending']);

/** The control plane wants it to run (desired running or before, or complete: a job's task). */
export function wantedRunning(task: Task): boolean {
  return isDesiredToRun(task);
}

/** Its container is gone (or never came). */
export function hasEnded(task: Task): boolean {
  return isTerminalTaskState(task.status.state);
}

/** History: ended and no longer wanted running. */
export function isHistory(task: Task): boolean {
  return hasEnded(task) && !wantedRunning(task);
}

/** Not yet given to a node's agent: new, allocated or pending. */
export function awaitsPlacement(task: Task): boolean {
  return UNPLACED.has(task.status.state);
}

/** Newest first: by creation time, then id. */
export function newestFirst(a: Task, b: Task): number {
  return a.createdAt === b.createdAt ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : a.createdAt < b.createdAt ? 1 : -1;
}
