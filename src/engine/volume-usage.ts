/**
 * Volumes as the engine sees them: a volume is in use while any container record (running or
 * not) names it in its mounts, so "in use" is always what the records say, across restarts. Removal
 * of a volume in use is refused (conflict, Docker's 409); a container's anonymous volumes go with
 * it (`rm -v`, `--rm`); a `type`/`device` volume is unmounted when no running container needs it.
 */
import { errors, isBerthError } from '../base/errors.js';
import type { ProcessRunner } from '../base/process-runner.js';
import { parseLocalOptions, isMountedVolume } from '../volumes/local-driver-options.js';
import type { VolumeRecord } from '../volumes/volume-record.js';
import type { CreateVolumeRequest, VolumeService } from '../volumes/volume-service.js';
import { volumeNamesOf } from './container-mount.js';
import { isActive, type ContainerRecord } from './container-record.js';
import type { ContainerStore } from './container-store.js';
import { componentLogger } from '../base/logger.js';

const log = componentLogger('engine');

export interface VolumeUsageContext {
  store: ContainerStore;
  volumes: VolumeService;
  runner: ProcessRunner;
}

/** Ids of the containers that use each volume. */
export function volumeUsers(store: ContainerStore): Map<string, string[]> {
  const users = new Map<string, string[]>();
  for (const record of store.list()) {
    for (const name of new Set(volumeNamesOf(record.config.mounts))) users.set(name, [...(users.get(name) ?? []), record.id]);
  }
  return users;
}

/** Creates what a new container needs (existing named volumes are kept as they are). */
export async function ensureVolumes(volumes: VolumeService, requests: readonly CreateVolumeRequest[]): Promise<void> {
  for (const request of requests) await volumes.create(request);
}

/**
 * `volume rm`: throws conflict (`volume-in-use`) when a container uses it, not-found
 * (`no-such-volume`) unless `force`.
 */
export async function removeVolume(ctx: VolumeUsageContext, name: string, force: boolean): Promise<void> {
  if (ctx.volumes.find(name) === undefined) {
    if (force) return;
    throw errors.notFound('no-such-volume', `get ${name}: no such volume`);
  }
  const users = volumeUsers(ctx.store).get(name) ?? [];
  if (users.length > 0) throw errors.conflict('volume-in-use', `remove ${name}: volume is in use - [${users.join(', ')}]`);
  await ctx.volumes.remove(name);
}

/** Bytes under the volume's data directory (`du`), 0 when it cannot be read. */
export async function volumeSize(ctx: VolumeUsageContext, name: string): Promise<number> {
  try {
    const { stdout } = await ctx.runner.run('du', ['-sb', '-x', ctx.volumes.dataDir(name)]);
    return Number(stdout.split('\t')[0]) || 0;
  } catch (err) {
    // A size is for display (`system df`, prune's total): unknown shows as 0.
    log.debug('measuring a volume failed; its size shows as 0', { err, volume: name });
    return 0;
  }
}

/** `volume prune`: removes the unused volumes `select` picks; returns their names and the bytes freed. */
export async function pruneVolumes(ctx: VolumeUsageContext, select: (volume: VolumeRecord) => boolean): Promise<{ deleted: string[]; spaceReclaimed: number }> {
  const users = volumeUsers(ctx.store);
  const deleted: string[] = [];
  let spaceReclaimed = 0;
  for (const volume of ctx.volumes.list()) {
    if (users.has(volume.name) || !select(volume)) continue;
    const size = await volumeSize(ctx, volume.name);
    try {
      await removeVolume(ctx, volume.name, false);
    } catch (err) {
      if (isBerthError(err, 'conflict') || isBerthError(err, 'not-found')) continue; // taken or removed meanwhile
      throw err;
    }
    deleted.push(volume.name);
    spaceReclaimed += size;
  }
  return { deleted, spaceReclaimed };
}

/** Removes the container's anonymous volumes that no other container uses (`rm -v`, `--rm`). */
export async function removeAnonymousVolumes(ctx: VolumeUsageContext, record: ContainerRecord): Promise<void> {
  // Most containers have none: then no record needs reading (every one is parsed to list them).
  if (!(record.config.mounts ?? []).some((m) => m.type === 'volume' && m.anonymous)) return;
  const users = volumeUsers(ctx.store);
  for (const mount of record.config.mounts ?? []) {
    if (mount.type !== 'volume' || !mount.anonymous) continue;
    if ((users.get(mount.name) ?? []).some((id) => id !== record.id)) continue;
    if (ctx.volumes.find(mount.name) !== undefined) await ctx.volumes.remove(mount.name);
  }
}

/**
 * Unmounts the `type`/`device` volumes no running container needs any more: those of `record`
 * after its run, or (no record) every one, as live restore does.
 */
export async function releaseVolumes(ctx: VolumeUsageContext, record?: ContainerRecord): Promise<void> {
  if (record !== undefined && volumeNamesOf(record.config.mounts).length === 0) return; // nothing of its to release
  const needed = new Set(ctx.store.list().filter((r) => isActive(r.state) && r.id !== record?.id).flatMap((r) => volumeNamesOf(r.config.mounts)));
  const candidates = record === undefined ? ctx.volumes.list().map((v) => v.name) : volumeNamesOf(record.config.mounts);
  for (const name of new Set(candidates)) {
    const volume = ctx.volumes.find(name);
    if (volume === undefined || needed.has(name) || !isMountedVolume(parseLocalOptions(volume.options))) continue;
    await ctx.volumes.unmount(name);
  }
}

/**
 * Volumes as the engine's callers see them beside the containers (the API's volume routes and
 * `system df`): which containers use each, their size, removal refused while in use, prune. "In
 * use" is what the records say at the call, so it is safe at any time, concurrently with
 * container operations (a create that races a removal undoes its part, see create-container.ts).
 */
export class VolumeUsage {
  constructor(private readonly ctx: VolumeUsageContext) {}

  /** Ids of the containers that use each volume. */
  users(): Map<string, string[]> {
    return volumeUsers(this.ctx.store);
  }

  /** As `volumeSize`: 0 when it cannot be read. */
  size(name: string): Promise<number> {
    return volumeSize(this.ctx, name);
  }

  /** As `removeVolume`: conflict (`volume-in-use`), not-found (`no-such-volume`) unless `force`. */
  remove(name: string, force: boolean): Promise<void> {
    return removeVolume(this.ctx, name, force);
  }

  /** As `pruneVolumes`. */
  prune(select: (volume: VolumeRecord) => boolean): Promise<{ deleted: string[]; spaceReclaimed: number }> {
    return pruneVolumes(this.ctx, select);
  }
}
