/**
 * `kill`: one signal to a container's init, not serialized with the container's other operations
 * (so a kill reaches a container whose stop is waiting). SIGKILL answers only once the exit is
 * recorded, as dockerd's does: an inspect or rm right after sees the container exited.
 */
import { errors, isBerthError } from '../base/errors.js';
import type { RuncCli } from '../runtime/runc.js';
import type { ContainerEvents } from './container-events.js';
import { isActive, type ContainerRecord } from './container-record.js';
import type { ContainerStore } from './container-store.js';
import type { RestartSupervisor } from './restart/restart-supervisor.js';
import { componentLogger } from '../base/logger.js';

const log = componentLogger('engine');

/** What a kill needs of the engine. */
export interface KillContext {
  store: ContainerStore;
  events: ContainerEvents;
  restarts: RestartSupervisor;
  /** The container's OCI runtime. */
  runtime: (record: ContainerRecord) => RuncCli;
  /** Runs `work` under the container's lock. */
  locked: <T>(id: string, work: () => Promise<T>) => Promise<T>;
}

/** Whether `signal` (a name with or without SIG, or a number) is SIGKILL. */
export function isKillSignal(signal: string): boolean {
  const name = signal.toUpperCase().replace(/^SIG/, '');
  return name === 'KILL' || name === '9';
}

/**
 * Sends `signal` to the container's init; a manual kill turns its restart policy off until the
 * next manual start. Throws conflict (`container-not-running`) when it is not running. With
 * SIGKILL, resolves once the exit is recorded; a paused container is thawed so that it can die.
 */
export async function killContainer(ctx: KillContext, ref: string, signal: string): Promise<void> {
  const record = ctx.store.resolve(ref);
  if (!isActive(record.state)) throw errors.conflict('container-not-running', `Container ${record.id} is not running`);
  ctx.restarts.noteManualStop(record.id);
  if (record.state.status === 'restarting') {
    await ctx.locked(record.id, () => {
      const current = ctx.store.find(record.id);
      if (current !== undefined) ctx.restarts.settle(current);
      return Promise.resolve();
    });
    return;
  }
  // Subscribed before the signal, so the exit cannot come and go unseen.
  const exited = isKillSignal(signal) ? ctx.events.next('exit', record.id) : undefined;
  try {
    const runtime = ctx.runtime(record);
    try {
      await runtime.kill(record.id, signal);
    } catch (err) {
      if (isBerthError(err, 'failed-precondition') || isBerthError(err, 'not-found')) {
        throw errors.conflict('container-not-running', `Container ${record.id} is not running`, { cause: err });
      }
      throw err;
    }
    ctx.events.emit('action', record.id, 'kill', { signal });
    if (exited === undefined) return;
    // A frozen process cannot act on the signal: thaw it. Gone already (it died of the signal): fine.
    if (ctx.store.find(record.id)?.state.status === 'paused') {
      await runtime.resume(record.id).catch((err: unknown) => {
        if (isBerthError(err, 'failed-precondition') || isBerthError(err, 'not-found')) return;
        log.warn('resuming a paused container after a kill failed', { err, id: record.id });
      });
    }
    const now = ctx.store.find(record.id);
    if (now !== undefined && isActive(now.state)) await exited.promise;
  } finally {
    exited?.cancel();
  }
}
