import { firstUnmetConstraint, parseConstraints } from '../objects/constraints.js';
import type { Node } from '../objects/node.js';
import type { RestartPolicy, Service } from '../objects/service.js';
import { isTerminalTaskState, type Task } from '../objects/task.js';
import { globalNodeGone, groupBy, isCurrent, lostNode, newestTask, preferredTask, restarts, type Mutable, type Reconciliation } from './reconciliation.js';

/**
 * The job orchestrators' decisions for one service (Swarm's jobs): a job's tasks run until their
 * container exits, and only the service's current run (`jobStatus.iteration`) gets tasks.
 * - Live tasks of an earlier run are shut down, unless the job's schedule lets runs overlap
 *   (concurrency `allow`); ended ones stay, as the run's history.
 * - A task that completed (exited 0) is done; one that failed is run again by the restart
 *   policy, where `any` acts as `on-failure` (a completed task is never run again).
 * - A scheduled job that has not run yet (iteration 0) gets no tasks.
 * Pure; the output lists are sorted by slot (replicated) or node id (global).
 */

function jobRestartPolicy(policy: RestartPolicy): RestartPolicy {
  return policy.condition === 'any' ? { ...policy, condition: 'on-failure' } : policy;
}

function emptyDecision(): Mutable<Reconciliation> {
  return { create: [], shutdown: [], replace: [] };
}

/** The service's tasks of the current run, after shutting down earlier runs' live ones into `out`. */
function currentRun(service: Service, tasks: readonly Task[], out: Mutable<Reconciliation>): Task[] {
  const iteration = service.jobStatus?.iteration ?? 0;
  const own = tasks.filter((task) => task.serviceId === service.id);
  if (service.spec.schedule?.concurrency !== 'allow') {
    for (const task of own) {
      if (task.jobIteration !== iteration && isCurrent(task) && !isTerminalTaskState(task.status.state)) out.shutdown.push({ taskId: task.id, reason: 'job-superseded' });
    }
  }
  return iteration === 0 ? [] : own.filter((task) => task.jobIteration === iteration);
}

/**
 * One slot (or node) of the run: its task kept going, done (completed), replaced, or failed for
 * good; extra live tasks shut down. Returns whether the slot has a task going.
 */
function settleSlot(list: readonly Task[], history: readonly Task[], service: Service, nodes: ReadonlyMap<string, Node>, now: Date, out: Mutable<Reconciliation>): boolean {
  const live = list.filter((task) => !isTerminalTaskState(task.status.state) && lostNode(task, nodes) === undefined);
  const kept = preferredTask(live);
  let replacing: Task | undefined;
  if (kept === undefined) {
    const last = newestTask(list);
    const policy = jobRestartPolicy(service.spec.taskTemplate.restartPolicy);
    if (last !== undefined && last.status.state !== 'complete') {
      const lost = lostNode(last, nodes);
      if (lost !== undefined && !isTerminalTaskState(last.status.state)) {
        replacing = last;
        out.replace.push({ taskId: last.id, reason: lost, delayNs: 0 });
      } else if (isTerminalTaskState(last.status.state) && restarts(last, policy, history, now)) {
        replacing = last;
        out.replace.push({ taskId: last.id, reason: 'task-ended', delayNs: policy.delayNs });
      }
    }
  }
  for (const task of list) {
    if (task === kept || task === replacing || isTerminalTaskState(task.status.state)) continue;
    out.shutdown.push({ taskId: task.id, reason: lostNode(task, nodes) ?? 'duplicate' });
  }
  return kept !== undefined || replacing !== undefined;
}

/**
 * A replicated job: slots 0…totalCompletions−1 (numbered from 0, as Swarm's job slots) each need
 * one task that completed; at most `maxConcurrent` slots have a task going (running or about to
 * be replaced) at once, and new slots start, lowest number first, as others finish. A task whose
 * node is lost is placed anew.
 */
export function reconcileReplicatedJob(service: Service, tasks: readonly Task[], nodes: ReadonlyMap<string, Node>, now: Date): Reconciliation {
  const out = emptyDecision();
  const mode = service.spec.mode;
  const run = currentRun(service, tasks, out);
  if (mode.kind !== 'replicated-job' || (service.jobStatus?.iteration ?? 0) === 0) return out;
  const history = groupBy(run, (task) => task.slot);
  const current = groupBy(run.filter(isCurrent), (task) => task.slot);
  let active = 0;
  for (const slot of [...current.keys()].sort((a, b) => a - b)) {
    if (settleSlot(current.get(slot) ?? [], history.get(slot) ?? [], service, nodes, now, out)) active += 1;
  }
  for (let slot = 0; slot < mode.totalCompletions && active < mode.maxConcurrent; slot++) {
    if (current.has(slot)) continue;
    out.create.push({ slot });
    active += 1;
  }
  return out;
}

/**
 * A global job: one task on every node eligible when the run started (ready, active, meeting the
 * constraints, and in the cluster by then: nodes that join later wait for the next run, as
 * Swarm's). A task whose node is lost or no longer eligible is shut down, not moved; a node that
 * had a task in this run gets no other. Throws invalid-argument when the constraints do not parse.
 */
export function reconcileGlobalJob(service: Service, tasks: readonly Task[], nodes: ReadonlyMap<string, Node>, now: Date): Reconciliation {
  const out = emptyDecision();
  const run = currentRun(service, tasks, out);
  const started = service.jobStatus?.lastExecution;
  if (service.spec.mode.kind !== 'global-job' || (service.jobStatus?.iteration ?? 0) === 0 || started === undefined) return out;
  const constraints = parseConstraints(service.spec.taskTemplate.placement.constraints, 'taskTemplate.placement.constraints');
  const history = groupBy(run, (task) => task.nodeId);
  const current = groupBy(run.filter(isCurrent), (task) => task.nodeId);
  for (const nodeId of [...current.keys()].sort()) {
    const list = current.get(nodeId) ?? [];
    const gone = globalNodeGone(list, nodes, constraints);
    if (gone !== undefined) {
      for (const task of list) if (!isTerminalTaskState(task.status.state)) out.shutdown.push({ taskId: task.id, reason: gone });
      continue;
    }
    settleSlot(list, history.get(nodeId) ?? [], service, nodes, now, out);
  }
  const eligible = [...nodes.values()]
    .filter((node) => node.status.state === 'ready' && node.spec.availability === 'active' && node.createdAt <= started && firstUnmetConstraint(constraints, node) === undefined)
    .map((node) => node.id)
    .sort();
  for (const nodeId of eligible) if (!history.has(nodeId)) out.create.push({ nodeId });
  return out;
}
