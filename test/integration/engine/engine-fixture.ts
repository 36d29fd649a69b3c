// Shared setup of the engine tests: a temp state root with the busybox image, a ContainerEngine on
// it with its own cgroup parent, helpers to run a container to completion, and a cleanup that
// removes every container and then asserts that nothing leaked (mounts, cgroups, runc state,
// conmon processes). Tolerates leftovers of killed earlier runs (sweepLeftovers).
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { currentMountPointsBelow } from '../../../src/mount/mountinfo.js';
import type { ContainerEngine } from '../../../src/engine/container-engine.js';
import { openNodeServices, type NodeServices, type NodeSettings } from '../../../src/daemon/node-services.js';
import type { CreateContainerRequest } from '../../../src/engine/create-container.js';
import type { ImageService } from '../../../src/images/image-service.js';
import { openImageNode } from '../../../src/daemon/image-node.js';
import type { ContainerOptions } from '../../../src/runtime/spec/container-options.js';
import { readLog } from '../../../src/runtime/log-reader.js';
import { leftoverCgroupDirs, sweepLeftovers, testCgroupName } from '../runtime/runtime-fixtures.js';

export { skipReason, eventually } from '../runtime/runtime-fixtures.js';

/** Pids of conmon processes whose command line mentions `root`. */
export async function conmonsUnder(root: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.startsWith('/usr/bin/conmon\0') && cmdline.includes(root)) pids.push(Number(entry));
  }
  return pids;
}

export interface RunResult {
  id: string;
  exitCode: number;
  stdout: string;
  stderr: string;
}

export class EngineFixture {
  private constructor(readonly root: string, public images: ImageService, readonly cgroupParent: string, public services: NodeServices) {}

  /** The node's engine (its services' `containers`). */
  get engine(): ContainerEngine {
    return this.services.containers;
  }

  static async create(): Promise<EngineFixture> {
    await sweepLeftovers();
    const root = await mkdtemp(join(tmpdir(), 'berth-engine-'));
    const images = await openImageNode(root);
    await images.bootstrap('busybox');
    const cgroupParent = `/${testCgroupName()}`;
    return new EngineFixture(root, images, cgroupParent, await openNodeServices(images, { cgroupParent }));
  }

  /** Closes and reopens the engine (and image service) on the same root: what a berthd restart does (with `settings`, if given). */
  async reopen(settings: NodeSettings = {}): Promise<void> {
    this.engine.close();
    await this.images.close();
    this.images = await openImageNode(this.root);
    this.services = await openNodeServices(this.images, { cgroupParent: this.cgroupParent, ...settings });
  }

  async create(options: ContainerOptions, extra: Partial<CreateContainerRequest> = {}): Promise<string> {
    return (await this.engine.create({ image: 'busybox', options, ...extra })).id;
  }

  /** Creates, starts and waits for a container; returns its exit code and output. */
  async run(options: ContainerOptions, extra: Partial<CreateContainerRequest> = {}): Promise<RunResult> {
    const id = await this.create(options, extra);
    const exited = this.engine.wait(id, 'next-exit');
    await this.engine.start(id);
    const { exitCode } = await exited;
    return { id, exitCode, ...(await this.output(id)) };
  }

  async output(id: string): Promise<{ stdout: string; stderr: string }> {
    const entries = await readLog(this.engine.paths.log(id));
    const text = (stream: string): string => entries.filter((e) => e.stream === stream).map((e) => `${e.line}\n`).join('');
    return { stdout: text('stdout'), stderr: text('stderr') };
  }

  /** What this root still has on the host: mounts, cgroups, runc containers, conmon processes. */
  async leftovers(): Promise<{ mounts: string[]; cgroups: string[]; runc: string[]; conmons: number[] }> {
    const runcDir = this.engine.paths.runtimeRoot;
    return {
      mounts: await currentMountPointsBelow(this.root),
      cgroups: (await leftoverCgroupDirs(this.cgroupParent.slice(1))).filter((dir) => !dir.endsWith(this.cgroupParent)),
      runc: await readdir(runcDir).catch(() => []),
      conmons: await conmonsUnder(this.root),
    };
  }

  async cleanup(): Promise<void> {
    try {
      for (const record of this.engine.list()) await this.engine.remove(record.id, { force: true });
      // Networks made by the test or on demand (the default bridge of a RUN step): bridge and rules.
      for (const network of this.services.networks.list()) await this.services.networks.remove(network.id).catch(() => undefined);
    } finally {
      this.engine.close();
      await this.images.close();
      await sweepLeftovers();
      await rm(this.root, { recursive: true, force: true });
    }
  }
}
