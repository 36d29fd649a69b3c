/**
 * The overview page's model, computed from berthd's own answers (containers, images, volumes,
 * networks, disk use, and a manager's nodes and services). Pure: the server gathers the answers,
 * the page only renders. The input types name just the fields read here; berthd's answers (the
 * types of ../wire/, returned by client/) have them.
 */

export interface ContainerFacts {
  Id: string;
  Names: string[];
  Image: string;
  State: string;
  /** `Up 3 minutes (healthy)`, `Exited (0) 5 seconds ago`, … */
  Status: string;
  Created: number;
}

export interface ImageFacts {
  Id: string;
  RepoTags: string[];
  Size: number;
  Created: number;
}

export interface VolumeFacts {
  Name: string;
  Driver: string;
  UsageData?: { Size: number; RefCount: number };
}

export interface NetworkFacts {
  Id: string;
  Name: string;
  Driver: string;
  Scope: string;
}

export interface DiskFacts {
  LayersSize: number;
  Containers: { SizeRw?: number }[];
  Volumes: VolumeFacts[] | null;
  BuildCache: { Size: number }[] | null;
}

export interface NodeFacts {
  ID: string;
  Spec: { Role?: string; Availability?: string };
  Description: { Hostname?: string };
  Status: { State: string; Addr?: string };
  ManagerStatus?: { Leader?: boolean };
}

/** Docker's four service modes. */
export type ServiceModeFacts =
  | { Replicated: { Replicas: number } }
  | { Global: Record<string, never> }
  | { ReplicatedJob: { MaxConcurrent: number; TotalCompletions: number } }
  | { GlobalJob: Record<string, never> };

export interface ServiceFacts {
  ID: string;
  Spec: { Name: string; Mode: ServiceModeFacts };
  /** For a job, DesiredTasks is a replicated job's concurrency or a global job's tasks still to finish; CompletedTasks, those of its current run that completed. */
  ServiceStatus?: { RunningTasks: number; DesiredTasks: number; CompletedTasks?: number };
}

export type ServiceModeName = 'replicated' | 'global' | 'replicated job' | 'global job';

export interface ServiceRow {
  id: string;
  name: string;
  /** As the docker CLI's MODE column. */
  mode: ServiceModeName;
  desired: number;
  running: number;
  /** A job's current run: tasks completed out of those it needs (a global job's: on every node it runs on). */
  completions?: { completed: number; total: number };
}

export interface OverviewSources {
  containers: readonly ContainerFacts[];
  images: readonly ImageFacts[];
  volumes: readonly VolumeFacts[];
  networks: readonly NetworkFacts[];
  disk: DiskFacts;
  /** Present on a cluster manager. */
  cluster?: { nodes: readonly NodeFacts[]; services: readonly ServiceFacts[] };
}

export type Health = 'healthy' | 'unhealthy' | 'starting' | 'none';

export interface ContainerRow {
  id: string;
  name: string;
  image: string;
  state: string;
  status: string;
  health: Health;
}

export interface Overview {
  containers: { total: number; running: number; stopped: number; healthy: number; unhealthy: number; rows: ContainerRow[] };
  images: { count: number; totalBytes: number; rows: { id: string; tags: string[]; bytes: number; created: number }[] };
  volumes: { count: number; rows: { name: string; driver: string; bytes: number | null; refCount: number | null }[] };
  networks: { count: number; rows: { id: string; name: string; driver: string; scope: string }[] };
  disk: { imagesBytes: number; containersBytes: number; volumesBytes: number; buildCacheBytes: number; totalBytes: number };
  cluster?: {
    nodes: { id: string; hostname: string; role: string; state: string; availability: string; leader: boolean }[];
    services: ServiceRow[];
  };
}

/** The health a container's status line shows (Docker writes `(healthy)`, `(unhealthy)`, `(health: starting)`). */
export function healthOf(status: string): Health {
  if (status.includes('(unhealthy)')) return 'unhealthy';
  if (status.includes('(healthy)')) return 'healthy';
  if (status.includes('(health: starting)')) return 'starting';
  return 'none';
}

const sum = (values: readonly number[]): number => values.reduce((total, value) => total + (value > 0 ? value : 0), 0);

function clusterOf(cluster: NonNullable<OverviewSources['cluster']>): NonNullable<Overview['cluster']> {
  return {
    nodes: cluster.nodes.map((node) => ({
      id: node.ID, hostname: node.Description.Hostname ?? node.ID.slice(0, 12), role: node.Spec.Role ?? 'worker',
      state: node.Status.State, availability: node.Spec.Availability ?? 'active', leader: node.ManagerStatus?.Leader === true,
    })),
    services: cluster.services.map(serviceRow),
  };
}

/**
 * A service's row: desired is berthd's count (without one, the spec's: a replicated job's
 * concurrency; a global mode's is not known); a job's completions as the docker CLI counts them
 * (a global job's total is the tasks still to finish and those that did).
 */
function serviceRow(service: ServiceFacts): ServiceRow {
  const mode = service.Spec.Mode;
  const status = service.ServiceStatus;
  const row = { id: service.ID, name: service.Spec.Name, running: status?.RunningTasks ?? 0 };
  const completed = status?.CompletedTasks ?? 0;
  if ('Replicated' in mode) return { ...row, mode: 'replicated', desired: status?.DesiredTasks ?? mode.Replicated.Replicas };
  if ('Global' in mode) return { ...row, mode: 'global', desired: status?.DesiredTasks ?? 0 };
  if ('ReplicatedJob' in mode) {
    const { MaxConcurrent: concurrent, TotalCompletions: total } = mode.ReplicatedJob;
    return { ...row, mode: 'replicated job', desired: status?.DesiredTasks ?? Math.min(concurrent, total), completions: { completed, total } };
  }
  const desired = status?.DesiredTasks ?? 0;
  return { ...row, mode: 'global job', desired, completions: { completed, total: desired + completed } };
}

/** The overview of one node (and its cluster, when it manages one). Containers newest first, images largest first. */
export function overviewOf(sources: OverviewSources): Overview {
  const rows = [...sources.containers].sort((a, b) => b.Created - a.Created).map((c) => ({
    id: c.Id, name: (c.Names[0] ?? c.Id.slice(0, 12)).replace(/^\//, ''), image: c.Image, state: c.State, status: c.Status, health: healthOf(c.Status),
  }));
  const running = rows.filter((row) => row.state === 'running' || row.state === 'restarting' || row.state === 'paused').length;
  const volumeUsage = new Map((sources.disk.Volumes ?? []).map((v) => [v.Name, v.UsageData]));
  const disk = {
    imagesBytes: sources.disk.LayersSize,
    containersBytes: sum(sources.disk.Containers.map((c) => c.SizeRw ?? 0)),
    volumesBytes: sum((sources.disk.Volumes ?? []).map((v) => v.UsageData?.Size ?? 0)),
    buildCacheBytes: sum((sources.disk.BuildCache ?? []).map((b) => b.Size)),
  };
  return {
    containers: {
      total: rows.length, running, stopped: rows.length - running,
      healthy: rows.filter((row) => row.health === 'healthy').length, unhealthy: rows.filter((row) => row.health === 'unhealthy').length, rows,
    },
    images: {
      count: sources.images.length, totalBytes: sum(sources.images.map((i) => i.Size)),
      rows: [...sources.images].sort((a, b) => b.Size - a.Size).map((i) => ({ id: i.Id, tags: i.RepoTags, bytes: i.Size, created: i.Created })),
    },
    volumes: {
      count: sources.volumes.length,
      rows: sources.volumes.map((v) => {
        const usage = volumeUsage.get(v.Name);
        return { name: v.Name, driver: v.Driver, bytes: usage === undefined || usage.Size < 0 ? null : usage.Size, refCount: usage === undefined || usage.RefCount < 0 ? null : usage.RefCount };
      }),
    },
    networks: { count: sources.networks.length, rows: sources.networks.map((n) => ({ id: n.Id, name: n.Name, driver: n.Driver, scope: n.Scope })) },
    disk: { ...disk, totalBytes: disk.imagesBytes + disk.containersBytes + disk.volumesBytes + disk.buildCacheBytes },
    ...(sources.cluster === undefined ? {} : { cluster: clusterOf(sources.cluster) }),
  };
}
