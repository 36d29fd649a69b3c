/**
 * The node's volumes (driver `local`): a row in `volumes` and a directory `volumes/<name>/_data`
 * under the state root, which containers bind-mount. A volume with `type`/`device` options is a
 * mount of its own at `_data`, made when a container needs it (`mount`) and undone when the last
 * one stops (`unmount`). Who uses a volume is the engine's business (container records): this
 * service never refuses a removal on its own.
 *
 * Calls on one volume are serialized; different volumes proceed concurrently.
 */
import { Notifier } from '../base/notifier.js';
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock, type Clock } from '../base/clock.js';
import { errors } from '../base/errors.js';
import { failpoint } from '../base/failpoint.js';
import { ownerTag } from '../base/process-alive.js';
import { KeyedMutex } from '../base/keyed-mutex.js';
import type { ProcessRunner } from '../base/process-runner.js';
import type { Database } from '../store/database.js';
import { isMountPoint, unmountAll } from '../mount/mount-table.js';
import { isMountedVolume, mountArguments, parseLocalOptions, type LocalVolumeOptions } from './local-driver-options.js';
import { checkVolumeName } from './mount-request.js';
import { ANONYMOUS_LABEL, LOCAL_DRIVER, type VolumeRecord } from './volume-record.js';
import { seedVolume } from './seed-volume.js';
import { VolumeStore } from './volume-store.js';
import { componentLogger } from '../base/logger.js';
import { dirEntries } from '../base/fs-probe.js';

const log = componentLogger('volumes');

export interface VolumeServiceOptions {
  db: Database;
  /** The state root; volumes live in `<root>/volumes`. */
  root: string;
  runner: ProcessRunner;
  clock?: Clock;
}

export interface CreateVolumeRequest {
  /** Absent: a random 64-hex name (an anonymous volume). */
  name?: string;
  driver?: string;
  options?: Record<string, string>;
  labels?: Record<string, string>;
  anonymous?: boolean;
}

export class VolumeService {
  readonly store: VolumeStore;
  readonly dir: string;
  readonly #runner: ProcessRunner;
  readonly #clock: Clock;
  readonly #mutex = new KeyedMutex();

  /** create, mount (a container starts with it), unmount, destroy. */
  readonly events = new Notifier<'create' | 'mount' | 'unmount' | 'destroy'>();

  constructor(options: VolumeServiceOptions) {
    this.store = new VolumeStore(options.db);
    this.dir = join(options.root, 'volumes');
    this.#runner = options.runner;
    this.#clock = options.clock ?? systemClock;
  }

  /** `volumes/<name>` (the volume's own directory). */
  path(name: string): string { return join(this.dir, name); }
  /** `volumes/<name>/_data`: what containers mount (Docker's Mountpoint). */
  dataDir(name: string): string { return join(this.dir, name, '_data'); }

  /**
   * Creates the volume, or returns the existing one of that name (`created` false). Throws
   * invalid-argument for a bad name or option, not-found (`no-such-driver`) for a driver other
   * than `local`, conflict (`volume-driver-mismatch`) when the name exists with another driver.
   * A crash half-way leaves a `.tmp-*` directory that `cleanup` removes.
   */
  async create(request: CreateVolumeRequest): Promise<{ record: VolumeRecord; created: boolean }> {
    const driver = request.driver === undefined || request.driver === '' ? LOCAL_DRIVER : request.driver;
    if (driver !== LOCAL_DRIVER) throw errors.notFound('no-such-driver', `error looking up volume plugin ${driver}: plugin "${driver}" not found`);
    const name = request.name === undefined || request.name === '' ? randomBytes(32).toString('hex') : checkVolumeName(request.name);
    const options = { ...(request.options ?? {}) };
    const parsed = parseLocalOptions(options);
    return this.#mutex.run(name, async () => {
      const existing = this.store.find(name);
      if (existing !== undefined) {
        if (existing.driver !== driver) throw errors.conflict('volume-driver-mismatch', `volume ${name} exists with driver ${existing.driver}, not ${driver}`);
        return { record: existing, created: false };
      }
      const anonymous = request.anonymous ?? request.name === undefined;
      const labels = { ...(request.labels ?? {}), ...(anonymous ? { [ANONYMOUS_LABEL]: '' } : {}) };
      const record: VolumeRecord = { name, driver, createdAt: this.#clock.now().toISOString(), labels, options, anonymous, seeded: false };
      await mkdir(this.dir, { recursive: true, mode: 0o701 });
      const temp = join(this.dir, `.tmp-${ownerTag()}-${randomBytes(6).toString('hex')}`);
      try {
        await mkdir(join(temp, '_data'), { recursive: true, mode: 0o755 });
        await applyOwnership(join(temp, '_data'), parsed);
        // A leftover of a crash, never a recorded volume: unmounted first, so nothing is deleted through a mount.
        await unmountAll(this.#runner, this.dataDir(name));
        await rm(this.path(name), { recursive: true, force: true });
        await rename(temp, this.path(name));
        failpoint('volume-create-after-dir');
        this.store.insert(record);
      } catch (err) {
        await rm(temp, { recursive: true, force: true });
        throw err;
      }
      this.events.notify('create', name, { driver: record.driver });
      return { record, created: true };
    });
  }

  find(name: string): VolumeRecord | undefined { return this.store.find(name); }
  /** Throws not-found (`no-such-volume`). */
  get(name: string): VolumeRecord { return this.store.get(name); }
  list(): VolumeRecord[] { return this.store.list(); }

  /**
   * Makes the volume ready for a container: mounts a `type`/`device` volume at its data directory
   * unless it is mounted already. Returns the data directory. Throws not-found (`no-such-volume`).
   */
  async mount(name: string): Promise<string> {
    return this.#mutex.run(name, async () => {
      const record = this.store.get(name);
      const data = this.dataDir(name);
      const options = parseLocalOptions(record.options);
      if (isMountedVolume(options) && !(await isMountPoint(data))) {
        await mkdir(data, { recursive: true });
        await this.#runner.run('mount', mountArguments(options, data));
        await applyOwnership(data, options);
      }
      this.events.notify('mount', name, { driver: record.driver });
      return data;
    });
  }

  /** Undoes `mount` (the caller knows no running container needs the volume). No-op for a plain volume. */
  async unmount(name: string): Promise<void> {
    await this.#mutex.run(name, async () => {
      await unmountAll(this.#runner, this.dataDir(name));
      this.events.notify('unmount', name, { driver: 'local' });
    });
  }

  /**
   * On a volume's first mount: copies the image's content at `target` into it when it is empty
   * (unless `noCopy`), then records that the first mount happened.
   */
  async seedOnFirstMount(name: string, rootfs: string, target: string, noCopy: boolean): Promise<void> {
    await this.#mutex.run(name, async () => {
      const record = this.store.get(name);
      if (record.seeded || noCopy) return;
      await seedVolume({ runner: this.#runner, rootfs, target, dataDir: this.dataDir(name), keep: parseLocalOptions(record.options) });
      this.store.markSeeded(name);
    });
  }

  /**
   * Deletes the volume and its data (unmounting it first). The caller has checked that no
   * container uses it. Throws not-found (`no-such-volume`).
   */
  async remove(name: string): Promise<void> {
    await this.#mutex.run(name, async () => {
      const record = this.store.get(name);
      await unmountAll(this.#runner, this.dataDir(name));
      this.store.delete(name);
      await rm(this.path(name), { recursive: true, force: true });
      this.events.notify('destroy', name, { driver: record.driver });
    });
  }

  /**
   * At start: removes directories a crash left (half-made volumes, removed volumes whose data was
   * not deleted yet), unmounting anything mounted in them first.
   */
  async cleanup(): Promise<void> {
    const known = new Set(this.store.list().map((v) => v.name));
    for (const entry of await dirEntries(this.dir, log)) { // no volumes dir yet: nothing to clean
      if (known.has(entry)) continue;
      await unmountAll(this.#runner, join(this.dir, entry, '_data'));
      if (await isMountPoint(join(this.dir, entry, '_data'))) continue;
      await rm(join(this.dir, entry), { recursive: true, force: true });
    }
  }
}

async function applyOwnership(dir: string, options: LocalVolumeOptions): Promise<void> {
  if (options.uid !== undefined || options.gid !== undefined) await chown(dir, options.uid ?? -1, options.gid ?? -1);
  if (options.mode !== undefined) await chmod(dir, options.mode);
}
