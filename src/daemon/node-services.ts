/**
 * The node's services over an opened image service, built in one place: the process runner, the
 * host facts, the OCI runtimes, the bridge networks, the named volumes and the container engine
 * composed of them. berthd uses it, and so do the tests that run a node in-process; each
 * collaborator may be given instead (a test's runner or host facts).
 */
import { systemClock } from '../base/clock.js';
import { ChildProcessRunner, type ProcessRunner } from '../base/process-runner.js';
import { ContainerEngine, type ContainerEngineOptions } from '../engine/container-engine.js';
import { ContainerPaths } from '../engine/container-paths.js';
import { openRuntimes, type RuntimeChoice } from '../engine/container-task.js';
import { readHostFacts, type HostFacts } from '../engine/host-facts.js';
import { readUsernsPool } from '../engine/userns-container.js';
import type { ImageService } from '../images/image-service.js';
import { NetworkService } from '../network/network-service.js';
import { VolumeService } from '../volumes/volume-service.js';

/** The engine's settings, the runtime choice, and the collaborators a caller may give. */
export interface NodeSettings
  extends Omit<ContainerEngineOptions, 'images' | 'runner' | 'host' | 'runtimes' | 'network' | 'volumes'>, RuntimeChoice {
  /** Default: a ChildProcessRunner (berthd passes the one it gave `openImageNode`). */
  runner?: ProcessRunner;
  /** Default: read from the host. */
  host?: HostFacts;
  /** Where the CNI plugins are (default /usr/lib/cni). */
  cniPluginDir?: string;
}

/** What the composition hands on: the engine, and the services routes and the builder use beside it. */
export interface NodeServices {
  runner: ProcessRunner;
  volumes: VolumeService;
  networks: NetworkService;
  containers: ContainerEngine;
}

/**
 * Opens the node's services on the image service's state root, then the engine (which restores
 * what runs). Throws what opening the runtimes or the networks throws. `containers.close()` /
 * `shutdown()` closes the networks too; the caller closes the image service after it.
 */
export async function openNodeServices(images: ImageService, settings: NodeSettings = {}): Promise<NodeServices> {
  const { runner: givenRunner, host: givenHost, cniPluginDir, runcPath, crunPath, defaultRuntime, ...engineSettings } = settings;
  const runner = givenRunner ?? new ChildProcessRunner();
  const host = givenHost ?? (await readHostFacts());
  const root = images.root.path;
  const runtimes = await openRuntimes(new ContainerPaths(root), host.cgroups, runner, { runcPath, crunPath, defaultRuntime });
  const networks = await NetworkService.open({ db: images.db, root, runner, ...(cniPluginDir === undefined ? {} : { pluginDir: cniPluginDir }) });
  const volumes = new VolumeService({ db: images.db, root, runner, clock: engineSettings.clock ?? systemClock });
  const usernsPool = engineSettings.usernsPool ?? (await readUsernsPool());
  const containers = await ContainerEngine.open({ ...engineSettings, images, runner, host, runtimes, network: networks, volumes, usernsPool });
  return { runner, volumes, networks, containers };
}
