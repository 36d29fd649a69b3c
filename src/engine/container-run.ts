/**
 * One run of a container, from start to recorded exit: `startRun` (links, network, task, attach
 * waiters, runtime start), `stopRun` (stop signal, timeout, SIGKILL) and `recordExit` (conmon's
 * exit file → the record, the run cleaned up, `--rm`). Callers hold the container's lock.
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../base/clock.js';
import { isBerthError, messageOf } from '../base/errors.js';
import { failpoint } from '../base/failpoint.js';
import type { ImageConfig } from '../oci/schemas.js';
import { attachSocketPath } from '../runtime/attach-socket.js';
import { readExitCode, wasOomKilled } from '../runtime/exit-file.js';
import { launchExitCode } from '../runtime/launch-failure.js';
import { stopContainer } from '../runtime/stop-container.js';
import { resizeTerminal, terminalControlPath } from '../runtime/terminal-resize.js';
import type { AttachRegistry } from './attach-registry.js';
import type { ContainerEvents } from './container-events.js';
import { runLinks, type LinkContext } from './container-links.js';
import type { ContainerLogs } from './container-logs.js';
import { attachRunNetwork, type NetworkingContext } from './container-networking.js';
import type { ContainerPaths } from './container-paths.js';
import { isActive, type ContainerRecord, type ContainerState } from './container-record.js';
import type { ContainerStore } from './container-store.js';
import { traced } from '../base/trace-spans.js';
import { cleanupTask, createTask, runtimeNameOf, runtimeOf, type TaskContext } from './container-task.js';
import { removeNow, removesVolumes, type RemovalContext } from './remove-container.js';
import { releaseVolumes, type VolumeUsageContext } from './volume-usage.js';
import { componentLogger, warnOnFailure } from '../base/logger.js';
import type { StartHooks } from './start-hooks.js';

const log = componentLogger('engine');

/** Docker's default grace period between the stop signal and SIGKILL. */
export const DEFAULT_STOP_TIMEOUT_S = 10;

/** What a run needs of the engine. */
export interface RunContext {
  store: ContainerStore;
  paths: ContainerPaths;
  task: TaskContext;
  logs: ContainerLogs;
  events: ContainerEvents;
  attachments: AttachRegistry;
  clock: Clock;
  volumes: VolumeUsageContext;
  imageConfig(imageId: string): Promise<ImageConfig>;
  linking(): LinkContext;
  networking(): NetworkingContext;
  /** What the removal of a `--rm` container after its exit needs. */
  removal(): RemovalContext;
  /** Run after the task is created and before its program runs. */
  startHooks: StartHooks;
}

/**
 * Starts a created or exited container's run. `byPolicy`: a restart by the restart policy (keeps
 * RestartCount; a manual start resets it). A failed start cleans up what it made, records the
 * exit code Docker gives (127, 126, 125) and the reason, and throws.
 */
export async function startRun(ctx: RunContext, record: ContainerRecord, byPolicy = false): Promise<void> {
  const { id } = record;
  const uuid = randomUUID();
  try {
    const { image, links, netnsPath } = await traced('start: image, logs, links, network', async () => {
      const image = await ctx.imageConfig(record.imageId);
      await ctx.logs.beforeRun(record);
      const links = await runLinks(ctx.linking(), record, true);
      return { image, links, netnsPath: await attachRunNetwork(ctx.networking(), record, links.hosts) };
    });
    const launched = await createTask(ctx.task, record, image, uuid, netnsPath, links.env);
    failpoint('start-after-create-task');
    const size = record.config.consoleSize;
    if (size !== undefined && record.config.options.tty === true) await resizeTerminal(terminalControlPath(ctx.paths.dir(id)), size[0], size[1]);
    await ctx.attachments.connectWaiting(id, attachSocketPath(ctx.paths.dir(id)));
    await ctx.startHooks.run(id);
    await runtimeOf(ctx.task, record).cli.start(id);
    ctx.store.setState(id, {
      ...record.state, status: 'running', pid: launched.pid, conmonPid: launched.conmonPid, attachId: uuid,
      exitCode: 0, oomKilled: false, error: '', startedAt: ctx.clock.now().toISOString(),
      restartCount: byPolicy ? record.state.restartCount : 0, manuallyStopped: false, removal: undefined,
    });
  } catch (err) {
    // The start's error is the one thrown (and recorded); what its undo leaves is logged.
    await cleanupTask(ctx.task, id, runtimeNameOf(record)).catch(warnOnFailure(log, 'cleaning up the task of a failed start', { id }));
    await ctx.logs.settle(record);
    await releaseVolumes(ctx.volumes, record).catch(warnOnFailure(log, 'releasing the volumes of a failed start', { id }));
    // Docker's codes: 127 command not found, 126 cannot be run, 125 anything else.
    const exitCode = launchExitCode(isBerthError(err) ? err.reason : '', 125);
    // As Docker: a failed start leaves the status as it was, with the code and the reason.
    ctx.store.setState(id, { ...record.state, pid: 0, conmonPid: 0, exitCode, error: messageOf(err) });
    throw err;
  }
  ctx.events.emit('start', id);
}

/** Stops the running container: its stop signal, then SIGKILL after the timeout (negative: never); records the exit. */
export async function stopRun(ctx: RunContext, record: ContainerRecord, options: { timeoutS?: number; signal?: string }): Promise<void> {
  const timeoutS = options.timeoutS ?? record.config.stopTimeout ?? DEFAULT_STOP_TIMEOUT_S;
  const stopSignal = options.signal ?? record.config.stopSignal ?? 'TERM';
  if (timeoutS !== 0) ctx.events.emit('action', record.id, 'kill', { signal: stopSignal });
  const { killed } = await stopContainer({
    runc: runtimeOf(ctx.task, record).cli, id: record.id, exitDir: ctx.paths.exits, timeoutMs: timeoutS < 0 ? 2 ** 31 - 1 : timeoutS * 1000, stopSignal,
  });
  if (killed) ctx.events.emit('action', record.id, 'kill', { signal: 'KILL' });
  await recordExit(ctx, record.id);
  ctx.events.emit('action', record.id, 'stop', {});
}

/**
 * Records the exit conmon reported (if any yet) and cleans the run up; with `autoRemove` (the
 * default follows the container's `--rm`) removes the container too. Idempotent.
 */
export async function recordExit(ctx: RunContext, id: string, options: { autoRemove?: boolean } = {}): Promise<void> {
  const record = ctx.store.find(id);
  if (record === undefined || !isActive(record.state)) return;
  const exitCode = await readExitCode(ctx.paths.exits, id);
  if (exitCode === undefined) return;
  const oomKilled = await wasOomKilled(ctx.paths.persist(id));
  // conmon wrote all output before the exit file: followers get it before the exit.
  await ctx.logs.settle(record);
  await traced('exit: cleanup (runtime delete, rootfs umount, cgroup)', () => cleanupTask(ctx.task, id, runtimeNameOf(record)));
  await releaseVolumes(ctx.volumes, record);
  const state: ContainerState = {
    ...record.state, status: 'exited', pid: 0, conmonPid: 0, exitCode, oomKilled, finishedAt: ctx.clock.now().toISOString(),
  };
  ctx.store.setState(id, state);
  await rm(join(ctx.paths.exits, id), { force: true });
  await rm(join(ctx.paths.sockets, record.state.attachId), { force: true });
  ctx.events.emit('exit', id, state);
  if (options.autoRemove ?? record.config.autoRemove) await traced('exit: --rm removal', () => removeNow(ctx.removal(), { ...record, state }, removesVolumes({ ...record, state }), true));
}
