/**
 * Live restore, run when the engine opens: containers keep running under their conmon while berthd
 * is down. For each container recorded as running, the exit file says whether it exited meanwhile
 * (its code is recorded); otherwise its OCI runtime (runc or crun, as its config says) tells whether
 * it still runs (it is adopted as is). What a crash left half-done is finished or undone: runs whose
 * process vanished without an exit file (host reboot, conmon killed), containers of any runtime,
 * mounts and directories with no record,
 * half-removed containers, creates that never completed (their record carries a removal until
 * then), writable layers of creates that never committed their record, and
 * `--rm` containers that are not running (a `run --rm` cut short in any phase). An `rm` cut short
 * (remove-container.ts) is finished once its kill happened; a container it never killed keeps
 * running. One a commit cut short left frozen is thawed.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isBerthError } from '../base/errors.js';
import { isProcessAlive } from '../base/process-alive.js';
import { readExitCode } from '../runtime/exit-file.js';
import { isActive, type ContainerRecord } from './container-record.js';
import { cleanupTask, runtimeNameOf, runtimeOf, type TaskContext } from './container-task.js';
import { withoutRemoval } from './remove-container.js';
import { thawAfterCommit, type ThawContext } from './commit-container.js';
import { componentLogger, warnOnFailure } from '../base/logger.js';
import { dirEntries } from '../base/fs-probe.js';

const log = componentLogger('engine');

/** What live restore needs of the engine: its records, paths, task context and notifications. */
export interface RestoreContext extends ThawContext {
  task: TaskContext;
}

export interface RestoreHooks {
  recordExit(id: string): Promise<void>;
  /** Removes the container, with its anonymous volumes when its `rm -v` or `--rm` asked for them. */
  removeNow(record: ContainerRecord): Promise<void>;
}

/** Exit code recorded for a run whose process vanished without leaving an exit code. */
export const LOST_EXIT_CODE = 255;

export async function restoreContainers(engine: RestoreContext, hooks: RestoreHooks): Promise<void> {
  const records = engine.store.list();
  for (const record of records) {
    if (record.state.status === 'removing') await hooks.removeNow(record);
    // Waiting for its restart policy when berthd went down: no run to restore (restarted at boot),
    // but a restart cut short may have left a created runc container and mounts.
    else if (record.state.status === 'restarting') {
      // Restoring the others matters more: what stays is logged, and removed with the container.
      await cleanupTask(engine.task, record.id, runtimeNameOf(record)).catch(warnOnFailure(log, 'cleaning up the task of a container waiting to restart', { id: record.id }));
      engine.store.setState(record.id, { ...record.state, status: 'exited' });
    }
    else if (isActive(record.state)) await restoreRun(engine, record, hooks);
  }
  for (const record of engine.store.list()) {
    if (isActive(record.state)) await thawAfterCommit(engine, record).catch(warnOnFailure(log, 'thawing a container a commit left frozen', { id: record.id }));
  }
  // As dockerd: an --rm container that is not running when the daemon starts never reached its
  // end (created, or cut short while starting or exiting): it goes, with whatever its run left.
  // So does one whose rm killed it; one that still runs was never killed: its rm did not happen.
  for (const record of engine.store.list()) {
    if (isActive(record.state)) {
      if (record.state.removal !== undefined) engine.store.setState(record.id, { ...withoutRemoval(record.state), manuallyStopped: false });
    } else if (record.config.autoRemove || record.state.removal !== undefined) {
      await hooks.removeNow(record);
    }
  }
  const remaining = engine.store.list();
  await removeOrphans(engine, new Set(remaining.map((r) => r.id)), new Set(remaining.map((r) => r.state.attachId)));
  // Network attachments belong to runs: only running containers keep theirs, and only on the
  // networks their records name (a connect cut short made an interface it never recorded).
  const attachments = engine.task.network?.attachments;
  const running = remaining.filter((r) => isActive(r.state));
  await attachments?.sweep(new Set(running.map((r) => r.id)));
  for (const record of running) {
    const net = record.config.network;
    if (net?.mode !== 'bridge') continue;
    await attachments?.detachOthers(record.id, new Set(net.networks.map((n) => n.id)))
      .catch(warnOnFailure(log, 'detaching a running container from networks it does not name', { id: record.id }));
  }
}

async function restoreRun(engine: RestoreContext, record: ContainerRecord, hooks: RestoreHooks): Promise<void> {
  const { id } = record;
  if ((await readExitCode(engine.paths.exits, id)) !== undefined) {
    await hooks.recordExit(id);
    return;
  }
  // A runtime this node no longer has (crun uninstalled) cannot be asked: conmon alone then tells.
  const runtime = engine.task.runtimes.has(runtimeNameOf(record)) ? runtimeOf(engine.task, record) : undefined;
  const status = runtime === undefined ? record.state.status : await runtime.cli.state(id).then((s) => s.status, (err: unknown) => {
    if (isBerthError(err, 'not-found')) return 'gone' as const;
    throw err;
  });
  if ((status === 'running' || status === 'paused') && isProcessAlive(record.state.conmonPid)) {
    if (record.state.status !== status) engine.store.setState(id, { ...record.state, status });
    return;
  }
  // The process (or its conmon, without which no exit would ever be reported) is gone: settle it.
  await cleanupTask(engine.task, id, runtimeNameOf(record));
  const exitCode = (await readExitCode(engine.paths.exits, id)) ?? LOST_EXIT_CODE;
  const state = {
    ...record.state, status: 'exited' as const, pid: 0, conmonPid: 0, exitCode,
    error: exitCode === LOST_EXIT_CODE ? 'the container was lost while berthd was down (its monitor is gone)' : '',
    finishedAt: new Date().toISOString(),
  };
  engine.store.setState(id, state);
  await rm(join(engine.paths.exits, id), { force: true });
  await rm(join(engine.paths.sockets, record.state.attachId), { force: true });
  // As any exit: recorded as an event, and the restart policy decides (code 255 is a failure).
  engine.events.emit('exit', id, state);
  if (record.config.autoRemove) await hooks.removeNow({ ...record, state });
}

async function removeOrphans(engine: RestoreContext, known: Set<string>, liveAttachIds: Set<string>): Promise<void> {
  const runtimeIds: string[] = [];
  for (const runtime of engine.task.runtimes.all()) {
    // A runtime that cannot list its containers leaves none of them to remove as orphans.
    runtimeIds.push(...await runtime.cli.list().then((list) => list.map((s) => s.id), (err: unknown) => {
      log.warn('listing the containers of a runtime failed; its orphans stay', { err, runtime: runtime.name });
      return [] as string[];
    }));
  }
  const dirIds = await dirEntries(engine.paths.containers, log);
  for (const id of new Set([...runtimeIds, ...dirIds])) {
    if (known.has(id)) continue;
    await cleanupTask(engine.task, id);
    await rm(engine.paths.dir(id), { recursive: true, force: true });
  }
  // Only complete exit files: `<id>.XXXXXX` is conmon's temporary file of an exit being written.
  for (const name of await dirEntries(engine.paths.exits, log)) {
    if (/^[0-9a-f]{64}$/.test(name) && !known.has(name)) await rm(join(engine.paths.exits, name), { force: true });
  }
  for (const name of await dirEntries(engine.paths.sockets, log)) {
    if (!liveAttachIds.has(name)) await rm(join(engine.paths.sockets, name), { force: true });
  }
  const snapshotter = engine.task.snapshotter;
  for (const snapshot of snapshotter.list()) {
    const id = snapshot.kind === 'active' && snapshot.key.startsWith('container/') ? snapshot.key.slice('container/'.length) : undefined;
    if (id !== undefined && !known.has(id)) await snapshotter.remove(snapshot.key);
  }
}
