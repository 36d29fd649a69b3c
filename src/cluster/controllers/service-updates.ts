/**
 * The rolling updater applied (scheduler/rolling-update.ts): per service, its decision becomes
 * changes for the orchestration batch of that service (the same guard: the service's version).
 * A slot to replace gets a successor with the current spec, its old task shut down in the same
 * unit (stop-first) or left to the orchestrators once the successor runs (start-first); a new
 * update status is written to the service after that batch, revision-compared; a failed update
 * that rolls back writes only the service (the spec becomes the previous one) and the next pass
 * rolls the tasks back. Delays and monitor windows still running become wake-ups.
 */
import type { Service } from '../objects/service.js';
import { successorOf, type Task } from '../objects/task.js';
import type { Reconciliation, UpdatePlan } from '../scheduler/index.js';
import { putService, putTask, withDesiredState, type Batch, type Change } from './changes.js';
import type { ClusterView } from './cluster-view.js';

export interface UpdateContext {
  readonly now: Date;
  readonly newId: () => string;
  readonly log: (message: string) => void;
}

/** The service after a failed update rolled back: the previous spec, no previous spec (as Swarm), the status given. */
export function rolledBack(service: Service, plan: UpdatePlan, now: Date): Service | undefined {
  if (!plan.rollback || service.previousSpec === undefined) return undefined;
  const { previousSpec: _previous, ...rest } = service;
  return { ...rest, spec: service.previousSpec, updatedAt: now.toISOString(), ...(plan.status === undefined ? {} : { updateStatus: plan.status }) };
}

/**
 * The units of one service's update decision. Tasks the orchestrators already shut down or
 * replace this pass are left to them.
 */
export function updateUnits(view: ClusterView, service: Service, plan: UpdatePlan, decision: Reconciliation | undefined, context: UpdateContext): Change[][] {
  const { now, newId, log } = context;
  const units: Change[][] = [];
  const taken = new Set([...(decision?.shutdown ?? []).map((s) => s.taskId), ...(decision?.replace ?? []).map((r) => r.taskId)]);
  for (const { taskId, order } of plan.replace) {
    const task: Task | undefined = view.tasks.get(taskId);
    if (task === undefined || taken.has(taskId)) continue;
    const successor = successorOf(task, {
      id: newId(), now, spec: service.spec.taskTemplate, serviceVersion: service.version, keepNode: service.spec.mode.kind === 'global',
      afterPredecessor: order === 'stop-first',
    });
    log(`service ${service.spec.name}: task ${task.id} updated ${order} by task ${successor.id}`);
    units.push(order === 'stop-first' ? [putTask(withDesiredState(task, 'shutdown', now)), putTask(successor)] : [putTask(successor)]);
  }
  return units;
}

/**
 * The service with its new update status, as a batch of its own: the put compares the service's
 * version itself (a batch guarded by a check of the same service would drop the put).
 */
export function updateStatusBatch(service: Service, plan: UpdatePlan, context: UpdateContext): Batch | undefined {
  if (plan.status === undefined) return undefined;
  context.log(`service ${service.spec.name}: ${plan.status.state.replace('_', ' ')}${plan.status.message === '' ? '' : `: ${plan.status.message}`}`);
  return { guard: [], units: [[putService({ ...service, updatedAt: context.now.toISOString(), updateStatus: plan.status })]] };
}
