/**
 * The statuses the agent reports, with Swarm's messages (the phase the task was in) and errors
 * ("task: non-zero exit (N)"). Each carries the time it was observed.
 */
import type { TaskState, TaskStatus } from '../objects/task.js';

/** A status observed at `now`; `containerId`, `err`, `exitCode` only when given. */
export function observedStatus(
  state: TaskState,
  message: string,
  now: Date,
  extra: { readonly containerId?: string; readonly err?: string; readonly exitCode?: number } = {},
): TaskStatus {
  return {
    state,
    message,
    timestamp: now.toISOString(),
    ...(extra.containerId === undefined ? {} : { containerId: extra.containerId }),
    ...(extra.err === undefined ? {} : { err: extra.err }),
    ...(extra.exitCode === undefined ? {} : { exitCode: extra.exitCode }),
  };
}

/** The end of a task whose container exited: complete for 0, failed otherwise. */
export function exitStatus(containerId: string, exitCode: number | undefined, now: Date): TaskStatus {
  if (exitCode === 0) return observedStatus('complete', 'finished', now, { containerId, exitCode });
  if (exitCode === undefined) return observedStatus('failed', 'finished', now, { containerId, err: 'task: the container is not running' });
  return observedStatus('failed', 'finished', now, { containerId, exitCode, err: `task: non-zero exit (${exitCode})` });
}
