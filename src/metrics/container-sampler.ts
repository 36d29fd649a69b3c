/**
 * What a scrape knows of each running container: its identity (cgroup path, name, image, labels),
 * when it started, one reading of its cgroup, its network namespace's interface counters and its
 * writable layer's size. Everything is read when asked and nothing is kept between scrapes but the
 * layer sizes (layer-usage-cache.ts).
 */
import { readFileSync, statSync } from 'node:fs';
import type { Clock } from '../base/clock.js';
import type { ContainerRecord } from '../engine/container-record.js';
import { isActive } from '../engine/container-record.js';
import type { CgroupLayout } from '../runtime/cgroup-layout.js';
import { parseNetDev, type InterfaceCounters } from '../runtime/net-dev.js';
import { BlockDevices, splitDeviceNumber } from './block-devices.js';
import { readCgroup, type CgroupReading } from './cgroup-reading.js';
import { containerLabelSet } from './label-names.js';
import { LayerUsageCache } from './layer-usage-cache.js';

/** What sampling needs of the engine (ContainerEngine has it all). */
export interface SampledEngine {
  list(): ContainerRecord[];
  readonly writableLayers: { size(id: string): Promise<number> };
  readonly host: { cgroups: CgroupLayout };
  readonly paths: { root: string };
}

export interface ContainerSample {
  /** cAdvisor's identity labels (`id` is the cgroup path) followed by `container_label_*`. */
  labels: Record<string, string>;
  startedAtS: number;
  cgroup: CgroupReading;
  networks: ReadonlyMap<string, InterfaceCounters>;
  /** Bytes read and written per device name. */
  io: ReadonlyMap<string, { read: number; write: number }>;
  /** The writable layer's size and the device it is on, when measured. */
  fs: { device: string; usageBytes: number } | undefined;
}

/** The namespace's interface counters (loopback left out); empty for host networking or a gone process. */
function networksOf(record: ContainerRecord): Map<string, InterfaceCounters> {
  if (record.state.pid <= 0 || record.config.options.networkMode === 'host') return new Map();
  try {
    return parseNetDev(readFileSync(`/proc/${record.state.pid}/net/dev`, 'utf8'));
  } catch {
    return new Map(); // exited since the list was taken
  }
}

export class ContainerSampler {
  readonly #devices = new BlockDevices();
  readonly #layers: LayerUsageCache;
  #rootDevice: string | undefined;

  constructor(private readonly engine: SampledEngine, private readonly cgroupParent: string, clock: Clock) {
    this.#layers = new LayerUsageCache({ measure: (id) => engine.writableLayers.size(id), clock });
  }

  /** Samples every running (or paused) container; those that exit meanwhile are left out. */
  async sample(): Promise<ContainerSample[]> {
    const running = this.engine.list().filter((record) => isActive(record.state) && record.state.status !== 'restarting');
    await this.#layers.refresh(running.map((record) => record.id));
    const samples: ContainerSample[] = [];
    for (const record of running) {
      const id = `${this.cgroupParent}/${record.id}`;
      const cgroup = readCgroup(this.engine.host.cgroups, id);
      if (cgroup === undefined) continue;
      const usage = this.#layers.get(record.id);
      samples.push({
        labels: { id, name: record.name.replace(/^\//, ''), image: record.config.image, ...containerLabelSet(record.config.options.labels ?? {}) },
        startedAtS: Date.parse(record.state.startedAt) / 1000,
        cgroup,
        networks: networksOf(record),
        io: this.#ioByDevice(cgroup),
        fs: usage === undefined ? undefined : { device: this.#stateRootDevice(), usageBytes: usage },
      });
    }
    return samples;
  }

  #ioByDevice(cgroup: CgroupReading): Map<string, { read: number; write: number }> {
    const out = new Map<string, { read: number; write: number }>();
    for (const entry of cgroup.io) {
      const op = entry.op.toLowerCase();
      if (op !== 'read' && op !== 'write') continue;
      const device = this.#devices.name(entry.major, entry.minor);
      const totals = out.get(device) ?? { read: 0, write: 0 };
      totals[op] += entry.value;
      out.set(device, totals);
    }
    return out;
  }

  /** The device of the state root's filesystem, where writable layers live. */
  #stateRootDevice(): string {
    if (this.#rootDevice === undefined) {
      const { major, minor } = splitDeviceNumber(statSync(this.engine.paths.root).dev);
      this.#rootDevice = this.#devices.name(major, minor);
    }
    return this.#rootDevice;
  }
}
