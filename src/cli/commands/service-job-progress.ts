/**
 * How far a job's current run is, as `docker service create` shows it for a job while it waits:
 * `job progress: 1 out of 4 complete`, a replicated job's `active tasks: 2 out of 2 tasks`, and one
 * line per slot (`2/4: running`; a global job's by node). Only the tasks of the service's current
 * run (JobStatus.JobIteration) count. And the judge of successive looks: complete once every
 * completion is done; failed once a task ended without completing and will not be run again;
 * stalled once every task still going has been blocked (pending with the scheduler's reason) for
 * the grace period. Pure: the caller fetches the service and its tasks and passes the time in.
 */
import type { SwarmService, SwarmTask } from '../../wire/swarm.js';

/** One slot of the run: a completion of a replicated job (its task's Slot, from 0), or a node of a global one. */
export interface JobSlotView {
  key: string;
  /** `2/4` (Slot 1 of 4), or the node id's first 12 characters. */
  label: string;
  /** The slot's task's state; `new` while it has none. */
  state: string;
  /** The task's error, or its status message when it has none. */
  reason: string;
  taskId?: string;
  /** A task of the slot exited 0. */
  complete: boolean;
  /** Its task ended without completing (failed, rejected, shut down…) and has no successor yet. */
  ended: boolean;
  /** Ended, and the restart policy runs it no more (condition none, or its attempts used up). */
  final: boolean;
  /** Its task is going but pending with the scheduler's reason. */
  blocked: boolean;
}

export interface JobRunView {
  global: boolean;
  /** The run (JobStatus.JobIteration.Index; 0: none yet). */
  iteration: number;
  /** Completions the run needs: a replicated job's TotalCompletions; a global job's nodes. */
  total: number;
  completed: number;
  /** Slots with a task going. */
  active: number;
  /** A replicated job's tasks that may go at once now: MaxConcurrent, or fewer near the end. */
  concurrent: number;
  /** The restart policy's delay: how long an ended task may wait for its successor. */
  restartDelayMs: number;
  slots: JobSlotView[];
}

/** More slots than this: only those with a task going or ended are shown (as the docker CLI stops drawing a bar per slot). */
export const MAX_SLOT_LINES = 20;

const TERMINAL = new Set(['complete', 'shutdown', 'failed', 'rejected', 'remove', 'orphaned']);
/** The ends that count as an attempt against `MaxAttempts` (as the cluster counts them). */
const ATTEMPTS = new Set(['complete', 'failed', 'rejected']);

/** The task that stands for a slot: the newest of those not being shut down, else the newest of all. */
function current(tasks: readonly SwarmTask[]): SwarmTask | undefined {
  const newestFirst = [...tasks].sort((a, b) => b.CreatedAt.localeCompare(a.CreatedAt) || b.Version.Index - a.Version.Index);
  return newestFirst.find((t) => t.DesiredState !== 'shutdown') ?? newestFirst[0];
}

function slotView(key: string, label: string, tasks: readonly SwarmTask[], service: SwarmService): JobSlotView {
  const task = current(tasks);
  const complete = tasks.some((t) => t.Status.State === 'complete');
  if (task === undefined) return { key, label, state: 'new', reason: '', complete, ended: false, final: false, blocked: false };
  const state = task.Status.State;
  const reason = task.Status.Err !== undefined && task.Status.Err !== '' ? task.Status.Err : (task.Status.Message ?? '');
  const ended = !complete && TERMINAL.has(state);
  const policy = service.Spec.TaskTemplate.RestartPolicy;
  const attempts = tasks.filter((t) => ATTEMPTS.has(t.Status.State)).length;
  const exhausted = policy.MaxAttempts > 0 && policy.Window === 0 && attempts > policy.MaxAttempts;
  const final = ended && task.DesiredState !== 'shutdown' && (policy.Condition === 'none' || exhausted);
  return { key, label, state, reason, taskId: task.ID, complete, ended, final, blocked: state === 'pending' && reason !== '' };
}

function group(tasks: readonly SwarmTask[], keyOf: (task: SwarmTask) => string): Map<string, SwarmTask[]> {
  const groups = new Map<string, SwarmTask[]>();
  for (const task of tasks) groups.set(keyOf(task), [...(groups.get(keyOf(task)) ?? []), task]);
  return groups;
}

/** The run's view from the service (a job's, as `GET /services?status=true` shows it) and its tasks (others ignored). */
export function jobRunView(service: SwarmService, tasks: readonly SwarmTask[]): JobRunView {
  const iteration = service.JobStatus?.JobIteration.Index ?? 0;
  const run = tasks.filter((t) => t.ServiceID === service.ID && iteration > 0 && t.JobIteration?.Index === iteration);
  const mode = service.Spec.Mode;
  const restartDelayMs = service.Spec.TaskTemplate.RestartPolicy.Delay / 1e6;
  let slots: JobSlotView[];
  let total: number;
  let concurrent: number;
  if ('ReplicatedJob' in mode) {
    total = mode.ReplicatedJob.TotalCompletions;
    // A job's slots are numbered from 0, as Swarm's (the API leaves a task's Slot 0 out); shown from 1, as the docker CLI does.
    const bySlot = group(run, (t) => String(t.Slot ?? 0));
    slots = Array.from({ length: total }, (_, i) => slotView(String(i), `${i + 1}/${total}`, bySlot.get(String(i)) ?? [], service));
    concurrent = Math.min(mode.ReplicatedJob.MaxConcurrent, total - slots.filter((s) => s.complete).length);
  } else {
    const byNode = group(run.filter((t) => (t.NodeID ?? '') !== ''), (t) => t.NodeID ?? '');
    slots = [...byNode.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([node, list]) => slotView(node, node.slice(0, 12), list, service));
    total = slots.length;
    concurrent = total - slots.filter((s) => s.complete).length;
  }
  const completed = slots.filter((s) => s.complete).length;
  const active = slots.filter((s) => !s.complete && s.state !== 'new' && !TERMINAL.has(s.state)).length;
  return { global: !('ReplicatedJob' in mode), iteration, total, completed, active, concurrent, restartDelayMs, slots };
}

/** The lines shown for a view, keyed for in-place redrawing. */
export function jobProgressLines(view: JobRunView): { key: string; text: string }[] {
  const shown = view.slots.length <= MAX_SLOT_LINES ? view.slots : view.slots.filter((s) => !s.complete && s.state !== 'new');
  const width = Math.max(0, ...shown.map((s) => s.label.length));
  return [
    { key: 'overall', text: view.global && view.total === 0 ? 'job progress: waiting for tasks' : `job progress: ${view.completed} out of ${view.total} complete` },
    ...(view.global ? [] : [{ key: 'active', text: `active tasks: ${view.active} out of ${view.concurrent} tasks` }]),
    ...shown.map((s) => ({ key: s.key, text: `${`${s.label}:`.padEnd(width + 1)} ${s.state.padEnd(9)} ${s.reason}`.trimEnd() })),
  ];
}

/** The outcome of one look at the run. */
export type JobOutcome =
  | { kind: 'complete' }
  | { kind: 'waiting' }
  | { kind: 'failed'; reasons: string[] }
  | { kind: 'stalled'; reasons: string[] };

const described = (s: JobSlotView): string => `${s.label}: ${s.state}${s.reason === '' ? '' : `: ${s.reason}`}`;

/**
 * Judges successive views of one run. A slot whose task ended without completing has failed for
 * good when the restart policy says so (condition none, attempts used up), or when the same task
 * has stayed ended for the restart delay and `graceMs` more without a successor. A global job's
 * run with no task at all after `graceMs` is stalled too: its nodes are chosen when it starts.
 */
export class JobRunJudge {
  /** Per slot: the ended task and since when it has been seen ended. */
  readonly #endedSince = new Map<string, { taskId: string; since: number }>();
  #blockedSince: number | undefined;
  #emptySince: number | undefined;

  constructor(private readonly graceMs: number) {}

  judge(view: JobRunView, nowMs: number): JobOutcome {
    if (view.total > 0 && view.completed >= view.total) return { kind: 'complete' };
    const failed: JobSlotView[] = [];
    for (const slot of view.slots) {
      const seen = this.#endedSince.get(slot.key);
      if (!slot.ended || slot.taskId === undefined) {
        this.#endedSince.delete(slot.key);
        continue;
      }
      const since = seen?.taskId === slot.taskId ? seen.since : nowMs;
      this.#endedSince.set(slot.key, { taskId: slot.taskId, since });
      const hold = slot.final ? 0 : view.restartDelayMs + this.graceMs;
      if (nowMs - since >= hold) failed.push(slot);
    }
    if (failed.length > 0) return { kind: 'failed', reasons: failed.map(described) };
    if (view.global && view.slots.length === 0 && view.iteration > 0) {
      this.#emptySince ??= nowMs;
      if (nowMs - this.#emptySince >= this.graceMs) return { kind: 'stalled', reasons: [`run ${view.iteration} has no task: no node was eligible when it started`] };
      return { kind: 'waiting' };
    }
    this.#emptySince = undefined;
    const going = view.slots.filter((s) => !s.complete && !s.ended && s.state !== 'new');
    if (going.length === 0 || !going.every((s) => s.blocked)) {
      this.#blockedSince = undefined;
      return { kind: 'waiting' };
    }
    this.#blockedSince ??= nowMs;
    if (nowMs - this.#blockedSince < this.graceMs) return { kind: 'waiting' };
    return { kind: 'stalled', reasons: going.map(described) };
  }
}
