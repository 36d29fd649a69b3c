/**
 * `commit`: a container's changes (the upper directory of its writable layer) become one new layer
 * on its image, with the container's effective config (the image's, with what the container was
 * created with merged over it) and Dockerfile-style changes applied on top. A running container
 * is paused meanwhile unless `pause` is false, so the layer is a consistent copy; a marker file
 * says the pause is the commit's, so the next berthd thaws a container a crash left frozen.
 */
import { rm, writeFile } from 'node:fs/promises';
import { applyConfigChanges } from '../images/config-changes.js';
import type { ImageRecord } from '../images/image-record.js';
import type { ImageService } from '../images/image-service.js';
import type { ContainerConfig } from '../oci/schemas.js';
import type { ContainerOptions } from '../runtime/spec/container-options.js';
import type { ImageConfig } from '../oci/schemas.js';
import { isBerthError } from '../base/errors.js';
import type { ContainerEvents } from './container-events.js';
import type { ContainerPaths } from './container-paths.js';
import { isActive, type ContainerRecord } from './container-record.js';
import type { ContainerStore } from './container-store.js';
import { runtimeOf, type TaskContext } from './container-task.js';
import { freezeContainer } from './lifecycle-services.js';
import { dropRuntimeStubs } from './runtime-stubs.js';
import { componentLogger, warnOnFailure } from '../base/logger.js';
import { pathExists } from '../base/fs-probe.js';

const log = componentLogger('engine');

export interface CommitContainerOptions {
  /** Normalized names for the new image; none gives a dangling image. */
  names: string[];
  /** Dockerfile instructions applied to the config (`CMD ["sh"]`, `ENV A=1`, …). */
  changes?: readonly string[];
  comment?: string;
  author?: string;
  /** Freeze a running container while its layer is read (default true). */
  pause?: boolean;
}

/** What thawing a container a commit left frozen needs of the engine. */
export interface ThawContext {
  paths: ContainerPaths;
  task: Pick<TaskContext, 'runtimes'>;
  store: ContainerStore;
  events: ContainerEvents;
}

/** What a commit needs of the engine. */
export interface CommitContext extends ThawContext {
  images: ImageService;
  /** The container's record; throws not-found (`no-such-container`). */
  inspect(ref: string): ContainerRecord;
  imageConfig(imageId: string): Promise<ImageConfig>;
  /** Runs `fn` under the container's lock with its current record. */
  exclusive<T>(ref: string, fn: (record: ContainerRecord) => Promise<T>): Promise<T>;
  unpause(ref: string): Promise<void>;
}

/** Docker's merge: Env by key, the rest replaced when the container set it. */
export function effectiveConfig(image: ContainerConfig | null | undefined, options: ContainerOptions): ContainerConfig {
  const config: ContainerConfig = structuredClone(image ?? {});
  if (options.env !== undefined && options.env.length > 0) {
    const env = [...(config.Env ?? [])];
    for (const entry of options.env) {
      const key = entry.split('=')[0] ?? entry;
      const at = env.findIndex((e) => (e.split('=')[0] ?? e) === key);
      if (!entry.includes('=')) {
        if (at >= 0) env.splice(at, 1);
      } else if (at >= 0) env[at] = entry;
      else env.push(entry);
    }
    config.Env = env;
  }
  if (options.entrypoint !== undefined) {
    config.Entrypoint = options.entrypoint.length === 1 && options.entrypoint[0] === '' ? null : options.entrypoint;
    if (options.entrypoint.length > 0) config.Cmd = null;
  }
  if (options.cmd !== undefined && options.cmd.length > 0) config.Cmd = options.cmd;
  if (options.workingDir !== undefined && options.workingDir !== '') config.WorkingDir = options.workingDir;
  if (options.user !== undefined && options.user !== '') config.User = options.user;
  if (options.labels !== undefined && Object.keys(options.labels).length > 0) config.Labels = { ...(config.Labels ?? {}), ...options.labels };
  return config;
}

/**
 * Throws not-found (`no-such-container`) for an unknown container, invalid-argument
 * (`invalid-change`) for a bad change; what the image service throws while writing (then the
 * store is as it was).
 */
export async function commitContainer(engine: CommitContext, ref: string, options: CommitContainerOptions): Promise<ImageRecord> {
  const { images } = engine;
  const record = engine.inspect(ref);
  const parent = images.resolve(record.imageId);
  const imageConfig = await engine.imageConfig(record.imageId);
  const config = applyConfigChanges(effectiveConfig(imageConfig.config, record.config.options), options.changes ?? []);
  const command = [...(config.Entrypoint ?? []), ...(record.config.options.cmd ?? config.Cmd ?? [])].join(' ');
  const key = engine.paths.snapshotKey(record.id);
  if (!isActive(record.state)) await dropRuntimeStubs(images, key, parent);
  const pause = options.pause !== false && (await pauseIfRunning(engine, record.id));
  try {
    const image = await images.commit({
      parent,
      layer: () => images.snapshotter.diff(key, record.config.userns),
      config,
      history: {
        createdBy: command,
        ...(options.comment !== undefined && { comment: options.comment }),
        ...(options.author !== undefined && { author: options.author }),
      },
      names: options.names,
    });
    engine.events.emit('action', record.id, 'commit', { imageID: image.id, ...(options.names[0] === undefined ? {} : { imageName: options.names[0] }) });
    return image;
  } finally {
    if (pause) {
      // The commit's outcome stands; a container left frozen is logged (`unpause` thaws it).
      await engine.unpause(record.id).catch(warnOnFailure(log, 'unpausing a container after its commit', { id: record.id }));
      await rm(engine.paths.commitPause(record.id), { force: true });
    }
  }
}

/**
 * Freezes the container if it still runs, deciding under its lock on its current state; returns
 * whether it did. One that exits meanwhile (its runtime says so before the exit is recorded) needs
 * no pause: its layer no longer changes.
 */
async function pauseIfRunning(engine: CommitContext, id: string): Promise<boolean> {
  try {
    return await engine.exclusive(id, async (current) => {
      if (current.state.status !== 'running') return false;
      const marker = engine.paths.commitPause(current.id);
      await writeFile(marker, '');
      try {
        await freezeContainer(runtimeOf(engine.task, current).cli, engine.store, engine.events, current, true);
      } catch (err) {
        await rm(marker, { force: true });
        throw err;
      }
      return true;
    });
  } catch (err) {
    if (isBerthError(err, 'failed-precondition') && err.reason === 'container-not-running') return false;
    throw err;
  }
}

/**
 * At live restore: thaws a container that a commit cut short by a crash left frozen (its pause
 * was the commit's, not a user's), and drops the marker.
 */
export async function thawAfterCommit(engine: ThawContext, record: ContainerRecord): Promise<void> {
  const marker = engine.paths.commitPause(record.id);
  if (!(await pathExists(marker, log))) return;
  if (record.state.status === 'paused') await freezeContainer(runtimeOf(engine.task, record).cli, engine.store, engine.events, record, false);
  await rm(marker, { force: true });
}
