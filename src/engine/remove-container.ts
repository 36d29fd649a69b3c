/**
 * `rm`: the container goes with everything it has: its run (killed first with `force`), network
 * attachments, writable layer, files, its anonymous volumes with `volumes` (`rm -v`; `--rm`
 * always), and last its record. The removal is written into the record (`state.removal`) before
 * anything is undone, so the next berthd finishes one that a crash cut short (live-restore.ts):
 * once the container was killed or its removal had begun, it goes as asked, volumes included; one
 * whose kill never happened keeps running, as if the rm had not come.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { errors } from '../base/errors.js';
import { failpoint } from '../base/failpoint.js';
import { stopContainer } from '../runtime/stop-container.js';
import type { AttachRegistry } from './attach-registry.js';
import type { ContainerEvents } from './container-events.js';
import type { ContainerLogs } from './container-logs.js';
import type { ContainerPaths } from './container-paths.js';
import { isActive, type ContainerRecord, type ContainerState } from './container-record.js';
import type { ContainerStore } from './container-store.js';
import { cleanupTask, runtimeNameOf, runtimeOf, type TaskContext } from './container-task.js';
import type { ExecSessions } from './exec-sessions.js';
import type { RestartSupervisor } from './restart/restart-supervisor.js';
import { removeAnonymousVolumes, type VolumeUsageContext } from './volume-usage.js';

/** What a removal needs of the engine. */
export interface RemovalContext {
  store: ContainerStore;
  task: TaskContext;
  paths: ContainerPaths;
  logs: ContainerLogs;
  events: ContainerEvents;
  restarts: RestartSupervisor;
  execs: ExecSessions;
  attachments: AttachRegistry;
  volumes: VolumeUsageContext;
  /** Records the exit of the killed run (no `--rm` removal: the caller removes). */
  recordExit(id: string): Promise<void>;
}

/** The state without a removal asked for. */
export function withoutRemoval(state: ContainerState): ContainerState {
  const { removal: _removal, ...rest } = state;
  return rest;
}

/** Whether the removal of a container cut short by a crash goes on with its anonymous volumes. */
export function removesVolumes(record: ContainerRecord): boolean {
  return record.state.removal?.volumes ?? record.config.autoRemove;
}

/**
 * Removes `record` (its current record); call under the container's lock. A running one needs
 * `force` (it is killed first); otherwise conflict (`container-running`).
 */
export async function removeContainer(ctx: RemovalContext, record: ContainerRecord, options: { force?: boolean; volumes?: boolean }): Promise<void> {
  const { id } = record;
  const volumes = options.volumes === true;
  if (isActive(record.state)) {
    if (options.force !== true) {
      throw errors.conflict('container-running',
        `You cannot remove a ${record.state.status} container ${id}. Stop the container before attempting removal or force remove`);
    }
    ctx.restarts.noteManualStop(id);
    // Written before the kill: a crash from here on ends with the container removed (stopped by a user, not restarted).
    ctx.store.setState(id, { ...record.state, manuallyStopped: true, removal: { volumes } });
    try {
      ctx.events.emit('action', id, 'kill', { signal: 'KILL' });
      await stopContainer({ runc: runtimeOf(ctx.task, record).cli, id, exitDir: ctx.paths.exits, timeoutMs: 0 });
      failpoint('rm-after-kill');
      await ctx.recordExit(id);
    } catch (err) {
      const current = ctx.store.find(id);
      if (current !== undefined) ctx.store.setState(id, withoutRemoval(current.state));
      throw err;
    }
  }
  const current = ctx.store.find(id);
  if (current === undefined) throw errors.notFound('no-such-container', `No such container: ${id}`);
  await removeNow(ctx, current, volumes);
}

/**
 * Removes a container whose run is over (or never was), and with `volumes` its anonymous volumes.
 * `cleanedUp`: the caller has just run cleanupTask for this run (the exit of a `--rm` container).
 */
export async function removeNow(ctx: RemovalContext, record: ContainerRecord, volumes: boolean, cleanedUp = false): Promise<void> {
  const { id } = record;
  ctx.store.setState(id, { ...record.state, status: 'removing', removal: { volumes } });
  if (!cleanedUp) await cleanupTask(ctx.task, id, runtimeNameOf(record));
  failpoint('rm-after-cleanup');
  const key = ctx.paths.snapshotKey(id);
  if (ctx.task.snapshotter.has(key)) await ctx.task.snapshotter.remove(key);
  await ctx.logs.forget(id);
  await rm(ctx.paths.dir(id), { recursive: true, force: true });
  await rm(join(ctx.paths.exits, id), { force: true });
  // While the record still says what to remove: a crash before its delete is finished by the next berthd.
  if (volumes) await removeAnonymousVolumes(ctx.volumes, record);
  failpoint('rm-before-delete-record');
  ctx.store.delete(id);
  ctx.execs.forget(id);
  ctx.attachments.abandon(id, errors.notFound('no-such-container', `No such container: ${id}`));
  ctx.events.emit('removed', id, record);
}
