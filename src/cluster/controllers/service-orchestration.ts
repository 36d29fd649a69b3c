/**
 * The orchestrators applied: for every service, the replicated or global orchestrator's decision
 * (scheduler/reconcile-*.ts) becomes one batch guarded by the service's version — new tasks,
 * desired state shutdown for tasks to stop, and for each replaced task its shutdown together with
 * its successor (the service's current spec and version; on the same node for a global service).
 * A successor waits for the restart delay, counted from the old task's status timestamp: until it
 * has passed, nothing is written for that slot and a wake-up is asked for the remaining time.
 * The rolling updater's decision (service-updates.ts) joins the same batch: slots replaced with
 * the current spec, the service's update status; a failed update that rolls back is the
 * service's only write in that pass.
 *
 * Jobs have no rolling update: a changed job runs again (the manager starts a new run). A
 * scheduled job's schedule is looked at first: when it fires, the new run (or the skip) is the
 * service's only write in that pass, and the next pass makes the run's tasks; a wake-up is asked
 * for the next time it fires.
 */
import { isBerthError, messageOf } from '../../base/errors.js';
import { isTerminalTaskState, newTask, successorOf, type Task } from '../objects/task.js';
import { isJobMode, type Service } from '../objects/service.js';
import {
  planScheduledRun, planUpdate, reconcileGlobal, reconcileGlobalJob, reconcileReplicated, reconcileReplicatedJob, type Reconciliation,
} from '../scheduler/index.js';
import { checkService, putService, putTask, withDesiredState, type Batch, type Change } from './changes.js';
import type { ClusterView } from './cluster-view.js';
import { rolledBack, updateStatusBatch, updateUnits } from './service-updates.js';

/** A pass to run again after `ms` (a restart delay still running), keyed by what it waits for. */
export interface Wakeup {
  readonly key: string;
  readonly ms: number;
}

export interface OrchestrationContext {
  readonly now: Date;
  readonly newId: () => string;
  readonly log: (message: string) => void;
}

export interface Orchestration {
  readonly batches: readonly Batch[];
  readonly wakeups: readonly Wakeup[];
}

export function orchestrateServices(view: ClusterView, context: OrchestrationContext): Orchestration {
  const batches: Batch[] = [];
  const wakeups: Wakeup[] = [];
  for (const service of [...view.services.values()].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    if (isJobMode(service.spec.mode)) {
      orchestrateJob(view, service, context, batches, wakeups);
      continue;
    }
    const plan = planUpdate(service, view.tasksOf(service.id), context.now);
    if (plan.wakeupMs !== undefined) {
      const due = context.now.getTime() + plan.wakeupMs;
      wakeups.push({ key: `update:${service.id}:${due}`, ms: plan.wakeupMs });
    }
    const restored = rolledBack(service, plan, context.now);
    if (restored !== undefined) {
      context.log(`service ${service.spec.name}: ${plan.status?.message ?? 'update rolled back'}`);
      // The put compares the service's version itself (a guard on the same key would drop it).
      batches.push({ guard: [], units: [[putService(restored)]] });
      continue;
    }
    const decision = reconcile(view, service, context);
    const units = decision === undefined ? [] : unitsOf(view, service, decision, context, wakeups);
    units.push(...updateUnits(view, service, plan, decision, context));
    if (units.length > 0) batches.push({ guard: [checkService(service)], units });
    const status = updateStatusBatch(service, plan, context);
    if (status !== undefined) batches.push(status);
  }
  return { batches, wakeups };
}

function orchestrateJob(view: ClusterView, service: Service, context: OrchestrationContext, batches: Batch[], wakeups: Wakeup[]): void {
  const iteration = service.jobStatus?.iteration ?? 0;
  const run = planScheduledRun(service, runGoing(view, service), context.now);
  if (run.wakeupMs !== undefined) wakeups.push({ key: `schedule:${service.id}:${context.now.getTime() + run.wakeupMs}`, ms: run.wakeupMs });
  if (run.jobStatus !== undefined) {
    const started = run.jobStatus.iteration !== iteration;
    context.log(`job ${service.spec.name}: ${started ? `scheduled run ${String(run.jobStatus.iteration)} starts` : run.jobStatus.message}`);
    batches.push({ guard: [], units: [[putService({ ...service, updatedAt: context.now.toISOString(), jobStatus: run.jobStatus })]] });
    return;
  }
  const decision = reconcile(view, service, context);
  const units = decision === undefined ? [] : unitsOf(view, service, decision, context, wakeups);
  if (units.length > 0) batches.push({ guard: [checkService(service)], units });
}

/** Whether the job's current run is still going: a task of it not ended, or (replicated) slots not started yet. */
function runGoing(view: ClusterView, service: Service): boolean {
  const iteration = service.jobStatus?.iteration ?? 0;
  if (iteration === 0) return false;
  const run = view.tasksOf(service.id).filter((task) => task.jobIteration === iteration);
  if (run.some((task) => !isTerminalTaskState(task.status.state))) return true;
  const mode = service.spec.mode;
  return mode.kind === 'replicated-job' && new Set(run.map((task) => task.slot)).size < mode.totalCompletions;
}

function reconcile(view: ClusterView, service: Service, context: OrchestrationContext): Reconciliation | undefined {
  const tasks = view.tasksOf(service.id);
  const { nodes } = view;
  try {
    switch (service.spec.mode.kind) {
      case 'global': return reconcileGlobal(service, tasks, nodes, context.now);
      case 'replicated': return reconcileReplicated(service, tasks, nodes, context.now);
      case 'replicated-job': return reconcileReplicatedJob(service, tasks, nodes, context.now);
      case 'global-job': return reconcileGlobalJob(service, tasks, nodes, context.now);
    }
  } catch (err) {
    if (!isBerthError(err, 'invalid-argument')) throw err;
    context.log(`service ${service.id}: cannot orchestrate: ${messageOf(err)}`);
    return undefined;
  }
}

function unitsOf(view: ClusterView, service: Service, decision: Reconciliation, context: OrchestrationContext, wakeups: Wakeup[]): Change[][] {
  const { now, newId } = context;
  const units: Change[][] = [];
  const known = (id: string): Task | undefined => view.tasks.get(id);
  const jobIteration = isJobMode(service.spec.mode) ? service.jobStatus?.iteration : undefined;
  for (const slot of decision.create) {
    const task = newTask(service, {
      id: newId(), now,
      ...(slot.slot === undefined ? {} : { slot: slot.slot }),
      ...(slot.nodeId === undefined ? {} : { nodeId: slot.nodeId }),
      ...(jobIteration === undefined ? {} : { jobIteration }),
    });
    units.push([putTask(task)]);
  }
  for (const { taskId, reason } of decision.shutdown) {
    const task = known(taskId);
    if (task === undefined) continue;
    context.log(`service ${service.spec.name}: task ${taskId} on node ${task.nodeId ?? '-'} to shut down (${reason})`);
    units.push([putTask(withDesiredState(task, 'shutdown', now))]);
  }
  for (const { taskId } of decision.handover ?? []) {
    const task = known(taskId);
    if (task === undefined) continue;
    const successor = successorOf(task, { id: newId(), now, spec: service.spec.taskTemplate, serviceVersion: service.version, keepNode: false });
    context.log(`service ${service.spec.name}: task ${taskId} on drained node ${task.nodeId ?? '-'} handed over to task ${successor.id} (it stops once that one runs)`);
    units.push([putTask(successor)]);
  }
  for (const { taskId, delayNs } of decision.replace) {
    const task = known(taskId);
    if (task === undefined) continue;
    const waitMs = delayNs / 1e6 - (now.getTime() - Date.parse(task.status.timestamp));
    if (waitMs > 0) {
      wakeups.push({ key: task.id, ms: Math.ceil(waitMs) });
      continue;
    }
    const successor = successorOf(task, {
      id: newId(), now, spec: service.spec.taskTemplate, serviceVersion: service.version, keepNode: service.spec.mode.kind === 'global' || service.spec.mode.kind === 'global-job',
    });
    units.push([putTask(withDesiredState(task, 'shutdown', now)), putTask(successor)]);
  }
  return units;
}
