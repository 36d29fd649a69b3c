/**
 * Waits for a service's rolling update (or rollback) to end, as `docker service update` without
 * `--detach` does: polls the service and its tasks, shows one line per slot (its task's state,
 * and whether it runs the service's current spec) under the update's state, and ends when the
 * service's UpdateStatus does. A completed update (or, for a rollback, a completed rollback)
 * resolves; an update paused for failure, or rolled back, rejects (failed-precondition, with
 * the service's message), so the command exits non-zero. Clock and sleep are injected for tests.
 */
import { isDeepStrictEqual } from 'node:util';
import { errors } from '../../base/errors.js';
import type { ClusterClient } from '../../client/cluster-client.js';
import type { SwarmService, SwarmTask } from '../../wire/swarm.js';
import type { TextSink } from '../progress-renderer.js';
import { ProgressBlock } from './service-progress-block.js';
import { convergeView } from './service-progress.js';

export interface UpdateWaitOptions {
  out: TextSink;
  tty: boolean;
  /** What was asked: an update, or a rollback. */
  rollback: boolean;
  sleep?: (ms: number) => Promise<void>;
  /** Between two looks (default 500 ms). */
  intervalMs?: number;
  /** Give up after this many looks without an update status (the leader never started one: default 60). */
  maxLooksWithoutStatus?: number;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The lines shown for one look: the update's state, then one per slot. Pure. */
export function updateLines(service: SwarmService, tasks: SwarmTask[]): { key: string; text: string }[] {
  const view = convergeView(service, tasks);
  const template = service.Spec.TaskTemplate;
  const own = tasks.filter((t) => t.ServiceID === service.ID && t.DesiredState === 'running');
  const updated = own.filter((t) => t.Status.State === 'running' && isDeepStrictEqual(t.Spec, template)).length;
  const status = service.UpdateStatus;
  const width = Math.max(0, ...view.slots.map((s) => s.label.length));
  const slotKey = (key: string): SwarmTask | undefined => own.find((t) => (view.global ? t.NodeID === key : String(t.Slot ?? 0) === key) && isDeepStrictEqual(t.Spec, template));
  return [
    { key: 'overall', text: `${status?.State ?? 'updating'}: ${updated} out of ${view.desired} tasks on the current spec${status?.Message ? ` (${status.Message})` : ''}` },
    ...view.slots.map((s) => ({
      key: s.key,
      text: `${`${s.label}:`.padEnd(width + 1)} ${s.state.padEnd(9)} ${slotKey(s.key) === undefined ? 'old spec ' : 'new spec '} ${s.reason}`.trimEnd(),
    })),
  ];
}

/** Resolves when the update (or rollback) of service `id` completed; see the module comment. */
export async function waitForUpdate(cluster: Pick<ClusterClient, 'listServices' | 'listTasks'>, id: string, options: UpdateWaitOptions): Promise<void> {
  const sleep = options.sleep ?? pause;
  const block = new ProgressBlock(options.out, options.tty);
  let withoutStatus = 0;
  for (;;) {
    const [services, tasks] = await Promise.all([cluster.listServices({ id: [id] }, true), cluster.listTasks({ service: [id] })]);
    const service = services.find((s) => s.ID === id);
    if (service === undefined) throw errors.notFound('service-not-found', `service ${id} was removed during its update`);
    block.render(updateLines(service, tasks));
    const name = service.Spec.Name;
    const status = service.UpdateStatus;
    const message = status?.Message ?? '';
    switch (status?.State) {
      case 'completed':
        if (!options.rollback) {
          options.out.write(`verify: Service ${name} converged\n`);
          return;
        }
        break;
      case 'rollback_completed':
        if (options.rollback) {
          options.out.write(`rollback: Service ${name} rolled back\n`);
          return;
        }
        throw errors.failedPrecondition('update-rolled-back', `service ${name} rolled back: ${message}`);
      case 'paused':
        if (status.Canary === 'holding') {
          // A canary that holds is the update doing what was asked: it waits for a promotion.
          options.out.write(`canary: Service ${name} ${message.replace(/^canary: /, '')}\n`);
          return;
        }
        throw errors.failedPrecondition('update-paused', `service ${name} update paused: ${message}`);
      case 'rollback_paused':
        throw errors.failedPrecondition('rollback-paused', `service ${name} rollback paused: ${message}`);
      case undefined:
        withoutStatus += 1;
        if (withoutStatus >= (options.maxLooksWithoutStatus ?? 60)) throw errors.failedPrecondition('update-not-started', `service ${name}: no update started (see 'berth service inspect ${name}')`);
        break;
      case 'updating':
      case 'rollback_started':
        break;
    }
    await sleep(options.intervalMs ?? 500);
  }
}
