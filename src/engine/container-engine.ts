/**
 * The node's containers: create, start, stop, kill, restart, pause, unpause, remove, wait, commit
 * and live restore. A container is a durable record (SQLite) plus, while it runs, a task (conmon +
 * its OCI runtime) that outlives berthd; exits are read from conmon's exit files, so none is lost
 * while berthd is down.
 *
 * Lifecycle: `open` (given its collaborators by the composition, daemon/node-services.ts) restores
 * what runs; `close` stops watching (containers keep running); `shutdown` also releases idle networks.
 * Concurrency: operations on one container are serialized by its lock (kill and reads are not:
 * they are safe at any time); different containers proceed concurrently. Errors are BerthErrors:
 * not-found (`no-such-container`, `no-such-image`) for unknown references, conflict for a state
 * that forbids the operation (`container-running`, `container-not-running`, `container-paused`),
 * invalid-argument for bad options, as each method says.
 */
import { randomBytes } from 'node:crypto';
import { systemClock, systemTimers, type Clock } from '../base/clock.js';
import { errors } from '../base/errors.js';
import { KeyedMutex } from '../base/keyed-mutex.js';
import type { ImageRecord } from '../images/image-record.js';
import type { ImageService } from '../images/image-service.js';
import type { NetworkService } from '../network/network-service.js';
import type { EndpointRequest } from '../network/container-network.js';
import type { ImageConfig } from '../oci/schemas.js';
import type { OciRuntimes } from '../runtime/oci-runtimes.js';
import type { UsernsMode } from '../runtime/userns/id-ranges.js';
import { AttachRegistry } from './attach-registry.js';
import { ContainerEvents } from './container-events.js';
import { StartHooks } from './start-hooks.js';
import { WritableLayers } from './writable-layers.js';
import { ContainerPaths } from './container-paths.js';
import { isActive, type ContainerRecord } from './container-record.js';
import { ContainerStore } from './container-store.js';
import { removeLink, type LinkContext } from './container-links.js';
import type { NetworkingContext } from './container-networking.js';
import { recordExit, startRun, stopRun, type RunContext } from './container-run.js';
import { killContainer } from './kill-container.js';
import { runtimeOf, taskContext, type TaskContext } from './container-task.js';
import { prepareContainer, type CreateContainerRequest, type CreateContext } from './create-container.js';
import { ExecSessions } from './exec-sessions.js';
import { ExitMonitor } from './exit-monitor.js';
import { waitForContainer, type WaitCondition } from './wait-container.js';
import { restoreContainers, type RestoreContext } from './live-restore.js';
import { ContainerLogs, DEFAULT_LOG_SETTINGS } from './container-logs.js';
import type { VolumeService } from '../volumes/volume-service.js';
import { releaseVolumes, VolumeUsage, type VolumeUsageContext } from './volume-usage.js';
import type { HostFacts } from './host-facts.js';
import { removeContainer, removeNow, removesVolumes, type RemovalContext } from './remove-container.js';
import type { ContainerEngineOptions } from './container-engine-options.js';
import { freezeContainer, lifecycleServices, type LifecycleServices } from './lifecycle-services.js';
import { commitContainer, type CommitContainerOptions } from './commit-container.js';
import { containerChanges, type Change, type ChangesContext } from './container-changes.js';
import { ContainerFiles } from './container-files.js';
import { ContainerImages } from './container-images.js';
import type { FileViewContext } from './container-file-view.js';
import { sampleContainer, type ContainerSample, type StatsContext } from './container-stats.js';
import { ContainerStdio, type StdioContext } from './container-stdio.js';
import { topContainer, type ProcessTable, type TopContext } from './container-top.js';
import { renameContainer, updateContainer, type ContainerUpdate, type UpdateContext } from './container-update.js';
import { connectNetwork, disconnectNetwork, type ConnectContext } from './network-connect.js';
import { componentLogger, warnOnFailure } from '../base/logger.js';

export type { ContainerEngineOptions } from './container-engine-options.js';
export type { WaitCondition } from './wait-container.js';
export { DEFAULT_STOP_TIMEOUT_S } from './container-run.js';

export class ContainerEngine {
  // The sub-services callers use beside the methods (each safe to call at any time):
  /** Notifications of the containers' lifecycle (start, exit, removed, actions); `next` waits for one. */
  readonly events = new ContainerEvents();
  readonly startHooks = new StartHooks();
  readonly writableLayers: WritableLayers;
  /** Clients waiting for a container to start (attach before start). */
  readonly attachments = new AttachRegistry();
  /** `exec`: sessions in running containers (see exec-sessions.ts for each call's errors). */
  readonly execs: ExecSessions;
  /** Where each container's files are (pure paths, no I/O). */
  readonly paths: ContainerPaths;
  /** Which containers use each volume; volume removal and prune that refuse volumes in use. */
  readonly volumeUsage: VolumeUsage;
  /** The log drivers' side: `read`, `follow` and `checkReadable` for the API; the rest is the engine's. */
  readonly logs: ContainerLogs;
  /** `cp` (`stat`, `read`, `write`) and `export` of a container's files (see container-files.ts). */
  readonly files: ContainerFiles;
  /** `attach` to a container's stdio (now or at its next start) and `resize` of its terminal. */
  readonly stdio: ContainerStdio;
  // The collaborators, for the modules of engine/ (each gets a context of its own from them).
  /** The containers table. */
  readonly #store: ContainerStore;
  /** What runs need: runtimes, runner, snapshotter, host facts, volumes, networks. */
  readonly #task: TaskContext;
  /** The node's volumes and bridge networks as given by the composition. */
  readonly #volumes: VolumeService;
  readonly #network: NetworkService;
  /** What the looking-in and adjusting modules need, built once: one object serves each module's own context. */
  readonly #inside: TopContext & StatsContext & ChangesContext & FileViewContext & UpdateContext & ConnectContext & StdioContext;
  readonly #images: ImageService;
  readonly #clock: Clock;
  readonly #mutex = new KeyedMutex();
  readonly #imageConfigs: ContainerImages;
  readonly #monitor: ExitMonitor;
  /** What runs (start, stop, exit) need: built once, after the collaborators. */
  readonly #run: RunContext;
  // The lifecycle services: the persisted event log, restart policies, health checks (`health.state(id)`).
  readonly eventLog: LifecycleServices['eventLog'];
  readonly restarts: LifecycleServices['restarts'];
  readonly health: LifecycleServices['health'];

  private constructor(options: ContainerEngineOptions) {
    this.#images = options.images;
    this.#imageConfigs = new ContainerImages(options.images);
    this.#clock = options.clock ?? systemClock;
    this.#store = new ContainerStore(options.images.db);
    this.paths = new ContainerPaths(options.images.root.path);
    const { runner, host, runtimes, network } = options;
    this.#volumes = options.volumes;
    this.#network = network;
    this.#task = taskContext(options, { paths: this.paths, runtimes, runner, host, volumes: this.#volumes, network });
    this.writableLayers = new WritableLayers(this.paths, this.#task.snapshotter);
    this.volumeUsage = new VolumeUsage(this.#volumeContext());
    this.execs = new ExecSessions({
      store: this.#store, events: this.events, paths: this.paths, task: this.#task, imageConfig: (id) => this.imageConfig(id), linking: () => this.#linking(),
    });
    this.logs = new ContainerLogs({
      paths: this.paths, runner, defaults: options.logDefaults ?? DEFAULT_LOG_SETTINGS, imageConfig: (imageId) => this.imageConfig(imageId),
    });
    this.#run = {
      store: this.#store, paths: this.paths, task: this.#task, logs: this.logs, events: this.events, attachments: this.attachments, clock: this.#clock,
      volumes: this.#volumeContext(), imageConfig: (id) => this.imageConfig(id), linking: () => this.#linking(), networking: () => this.#networking(),
      removal: () => this.#removal(), startHooks: this.startHooks,
    };
    this.#monitor = new ExitMonitor(this.paths.exits, (id) => {
      // Reported again by the exit monitor's next sweep while the exit file stays.
      void this.#mutex.run(id, () => recordExit(this.#run, id)).catch(warnOnFailure(componentLogger('engine'), 'recording the exit of a container', { id }));
    });
    ({ eventLog: this.eventLog, restarts: this.restarts, health: this.health } = lifecycleServices({
      images: options.images, store: this.#store, events: this.events, execs: this.execs, clock: this.#clock,
      timers: options.timers ?? systemTimers, retention: options.eventRetention,
      restartHooks: { locked: (id, work) => this.#mutex.run(id, work), start: (record) => startRun(this.#run, record, true) },
      healthActions: { restart: (id) => this.restart(id), stop: async (id) => { await this.stop(id); }, kill: (id) => this.kill(id) },
      resources: { volumes: this.#volumes.events, networks: network.events, attachments: network.attachments.events },
    }));
    this.#inside = {
      store: this.#store, paths: this.paths, task: this.#task, network, events: this.events, attachments: this.attachments,
      inspect: (ref) => this.inspect(ref), exclusive: (ref, fn) => this.#exclusive(ref, fn),
    };
    this.files = new ContainerFiles(this.#inside);
    this.stdio = new ContainerStdio(this.#inside);
  }

  /**
   * Opens the engine on the image service's state root with the collaborators the composition made
   * (daemon/node-services.ts), and restores what runs (live restore). Closing the engine closes
   * the network service it was given.
   */
  static async open(options: ContainerEngineOptions): Promise<ContainerEngine> {
    const engine = new ContainerEngine(options);
    const restore: RestoreContext = { store: engine.#store, paths: engine.paths, task: engine.#task, events: engine.events };
    await restoreContainers(restore, {
      recordExit: (id) => recordExit(engine.#run, id),
      removeNow: (record) => removeNow(engine.#removal(), record, removesVolumes(record)),
    });
    await engine.logs.restore(engine.#store.list());
    await engine.#volumes.cleanup();
    await releaseVolumes(engine.#volumeContext());
    await engine.#monitor.start();
    await engine.restarts.atBoot();
    engine.health.resume();
    return engine;
  }

  /** Stops watching exits, restart timers and health probes. Containers keep running. */
  close(): void {
    this.#monitor.stop();
    void this.logs.close();
    this.restarts.close();
    this.health.close();
    this.#network.close();
  }

  /** `close`, then takes down the host side of networks no running container uses (a daemon's clean stop). */
  async shutdown(): Promise<void> {
    this.close();
    await this.#network.releaseIdle();
  }

  /** What the networking glue needs of the engine. */
  #networking(): NetworkingContext {
    return { network: this.#network, store: this.#store, paths: this.paths, hostResolvConf: this.#task.host.resolvConf };
  }

  /** What legacy links read. */
  #linking(): LinkContext {
    return { store: this.#store, network: this.#network, imageConfig: (id) => this.imageConfig(id) };
  }

  /** `rm --link REF/ALIAS`; see container-links.ts. */
  async removeLink(ref: string, alias: string): Promise<void> {
    await removeLink({ store: this.#store, linking: this.#linking(), networking: this.#networking(), locked: (id, work) => this.#mutex.run(id, work) }, ref, alias);
  }

  /** Every container's record (a snapshot: safe at any time, not under any lock). */
  list(): ContainerRecord[] {
    return this.#store.list();
  }

  /** The container by id, name or unique id prefix; throws not-found (`no-such-container`). */
  inspect(ref: string): ContainerRecord {
    return this.#store.resolve(ref);
  }

  /** The container with exactly this id, if there is one. */
  find(id: string): ContainerRecord | undefined {
    return this.#store.find(id);
  }

  /** `top`: a running container's processes (`ps psArgs`); conflict (`container-not-running`) otherwise. */
  top(ref: string, psArgs?: string): Promise<ProcessTable> {
    return topContainer(this.#inside, ref, psArgs);
  }

  /** `stats`: one sample of the container's cgroup and interfaces (zeros when not running); changes nothing. */
  stats(record: ContainerRecord, now: Date): Promise<ContainerSample> {
    return sampleContainer(this.#inside, record, now);
  }

  /** `diff`: what the container changed in its root filesystem; not-found for an unknown container. */
  changes(ref: string): Promise<Change[]> {
    return containerChanges(this.#inside, ref);
  }

  /** Whether any container (in any state) was created from the image. */
  usesImage(imageId: string): boolean {
    return this.#store.usesImage(imageId);
  }

  /** The host facts create checks options against (limits, capabilities, kernel, cgroups); read-only. */
  get host(): HostFacts {
    return this.#task.host;
  }

  /** The node's settings `/info` shows: its OCI runtimes, the default `--userns` mode, the `--init` binary (undefined: the default). */
  get settings(): { runtimes: OciRuntimes; usernsDefault: UsernsMode; initPath: string | undefined } {
    return { runtimes: this.#task.runtimes, usernsDefault: this.#task.userns.defaultMode, initPath: this.#task.initPath };
  }

  /** The image a container would be created from. Throws not-found (`no-such-image`). */
  resolveImage(ref: string): ImageRecord {
    return this.#imageConfigs.resolve(ref);
  }

  /** The image's config (read once per image). */
  imageConfig(imageId: string): Promise<ImageConfig> {
    return this.#imageConfigs.config(imageId);
  }

  /** Creates the record, its writable layer and etc files. Throws as `prepareContainer`. */
  async create(request: CreateContainerRequest): Promise<ContainerRecord> {
    const id = randomBytes(32).toString('hex');
    const ctx: CreateContext = {
      resolveImage: (ref) => this.resolveImage(ref), imageConfig: (imageId) => this.imageConfig(imageId), store: this.#store, paths: this.paths,
      task: this.#task, logs: this.logs, volumes: this.#volumes, networking: () => this.#networking(),
    };
    const record = await this.#mutex.run(id, () => prepareContainer(ctx, id, request, this.#clock));
    this.events.emit('action', id, 'create', {});
    return record;
  }

  /** Starts a created or exited container. `changed` is false when it was already running. */
  async start(ref: string): Promise<{ changed: boolean }> {
    const { id } = this.#store.resolve(ref);
    return this.#mutex.run(id, async () => {
      const record = this.#require(id);
      if (record.state.status === 'running' || record.state.status === 'paused') return { changed: false };
      this.restarts.noteManualStart(id);
      await startRun(this.#run, record);
      return { changed: true };
    });
  }

  /**
   * `commit`: the container's changes become a new image (see commit-container.ts). Throws
   * not-found (`no-such-container`), invalid-argument (`invalid-change`), what the image service throws.
   */
  commit(ref: string, options: CommitContainerOptions): Promise<ImageRecord> {
    return commitContainer({
      images: this.#images, store: this.#store, paths: this.paths, task: this.#task, events: this.events, inspect: (r) => this.inspect(r),
      imageConfig: (imageId) => this.imageConfig(imageId), exclusive: (r, fn) => this.#exclusive(r, fn), unpause: (r) => this.unpause(r),
    }, ref, options);
  }

  /** Stops a running container (signal, timeout, SIGKILL). `changed` is false when it was not running. */
  async stop(ref: string, options: { timeoutS?: number; signal?: string } = {}): Promise<{ changed: boolean }> {
    const { id } = this.#store.resolve(ref);
    return this.#mutex.run(id, async () => {
      const record = this.#require(id);
      if (!isActive(record.state)) return { changed: false };
      this.restarts.noteManualStop(id);
      if (this.restarts.settle(record)) return { changed: true };
      await stopRun(this.#run, record, options);
      return { changed: true };
    });
  }

  /** Sends a signal to the container's init; see kill-container.ts (SIGKILL waits for the recorded exit). */
  async kill(ref: string, signal = 'KILL'): Promise<void> {
    await killContainer({
      store: this.#store, events: this.events, restarts: this.restarts,
      runtime: (record) => runtimeOf(this.#task, record).cli, locked: (id, work) => this.#mutex.run(id, work),
    }, ref, signal);
  }

  /** Stops (if running) and starts again. */
  async restart(ref: string, options: { timeoutS?: number; signal?: string } = {}): Promise<void> {
    const { id } = this.#store.resolve(ref);
    await this.#mutex.run(id, async () => {
      const record = this.#require(id);
      this.restarts.noteManualStop(id);
      if (!this.restarts.settle(record) && isActive(record.state)) await stopRun(this.#run, record, options);
      this.restarts.noteManualStart(id);
      await startRun(this.#run, this.#require(id));
      this.events.emit('action', id, 'restart', {});
    });
  }

  /** Freezes every process of a running container (`pause` false: thaws them). */
  async pause(ref: string, pause = true): Promise<void> {
    await this.#exclusive(ref, (record) => freezeContainer(runtimeOf(this.#task, record).cli, this.#store, this.events, record, pause));
  }

  async unpause(ref: string): Promise<void> {
    await this.pause(ref, false);
  }

  /** `rename`; throws as `renameContainer` (container-update.ts). */
  rename(ref: string, name: string): Promise<void> {
    return renameContainer(this.#inside, ref, name);
  }

  /** `update`: resource limits (live while it runs) and restart policy; throws as `updateContainer`. */
  update(ref: string, update: ContainerUpdate): Promise<void> {
    return updateContainer(this.#inside, ref, update);
  }

  /** `network connect`; throws as `connectNetwork` (network-connect.ts). */
  connect(ref: string, networkRef: string, endpoint: EndpointRequest): Promise<void> {
    return connectNetwork(this.#inside, ref, networkRef, endpoint);
  }

  /** `network disconnect`: not-found (`endpoint-not-found`) when not connected. */
  disconnect(ref: string, networkRef: string): Promise<void> {
    return disconnectNetwork(this.#inside, ref, networkRef);
  }

  /** Runs `fn` under the container's lock with its current record (for operations in their own modules). */
  async #exclusive<T>(ref: string, fn: (record: ContainerRecord) => Promise<T>): Promise<T> {
    const { id } = this.#store.resolve(ref);
    return this.#mutex.run(id, () => fn(this.#require(id)));
  }

  /**
   * Removes the container, its writable layer and files (see remove-container.ts). A running one
   * needs `force`; `volumes` (`rm -v`) removes its anonymous volumes.
   */
  async remove(ref: string, options: { force?: boolean; volumes?: boolean } = {}): Promise<void> {
    const { id } = this.#store.resolve(ref);
    await this.#mutex.run(id, async () => {
      const found = this.#store.find(id);
      if (found === undefined) return;
      // A container waiting for its restart has no process: settled, it is exited (re-read it).
      await removeContainer(this.#removal(), options.force === true && this.restarts.settle(found) ? this.#require(id) : found, options);
    });
  }

  /** What volume-usage.ts needs of the engine. */
  #volumeContext(): VolumeUsageContext {
    return { store: this.#store, volumes: this.#volumes, runner: this.#task.runner };
  }

  /** What remove-container.ts needs of the engine. */
  #removal(): RemovalContext {
    return {
      store: this.#store, task: this.#task, paths: this.paths, logs: this.logs, events: this.events, restarts: this.restarts,
      execs: this.execs, attachments: this.attachments, volumes: this.#volumeContext(), recordExit: (id) => recordExit(this.#run, id, { autoRemove: false }),
    };
  }

  /**
   * Waits as Docker's wait does and resolves with the exit code: `not-running` returns at once when
   * the container is not running; `next-exit` waits for the next exit; `removed` for the removal.
   */
  wait(ref: string, condition: WaitCondition = 'not-running', signal?: AbortSignal): Promise<{ exitCode: number; error: string }> {
    return waitForContainer(this.#store, this.events, this.#store.resolve(ref).id, condition, signal);
  }

  #require(id: string): ContainerRecord {
    const record = this.#store.find(id);
    if (record === undefined) throw errors.notFound('no-such-container', `No such container: ${id}`);
    return record;
  }
}
