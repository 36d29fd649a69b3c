/**
 * Containers as the Docker Engine API shows them: `GET /containers/{id}/json` (ContainerJSON) and
 * one entry of `GET /containers/json`. Pure: the record, its image config and the current time in.
 */
import { humanDuration } from '../base/human-duration.js';
import type { ContainerRecord } from '../engine/container-record.js';
import type { ContainerPaths } from '../engine/container-paths.js';
import type { ContainerConfig as ImageContainerConfig } from '../oci/schemas.js';
import { DEFAULT_RUNTIME } from '../runtime/oci-runtimes.js';
import { commandLine } from '../runtime/spec/command-line.js';
import { healthSuffix, type HealthState } from '../engine/health/health-state.js';
import { healthcheckView, healthView, restartPolicyView } from './lifecycle-views.js';
import type { UsernsConfig } from '../runtime/userns/id-ranges.js';
import { linkViews } from '../engine/container-links.js';
import { logConfigView, logPathOf } from '../engine/container-log-config.js';
import type { ContainerHostConfig, ContainerInspect, ContainerSummary, IdMapView } from '../wire/container-inspect.js';
import type { MountPoint } from '../wire/mounts.js';
import type { NetworkSettings } from '../wire/networks.js';

/** What `inspectView` shows before `withNetworkInspect` (network-views.ts) adds the networking fields. */
export type ContainerInspectBase = Omit<ContainerInspect, 'HostConfig' | 'NetworkSettings'> & {
  HostConfig: Omit<ContainerHostConfig, 'PublishAllPorts' | 'Dns' | 'DnsSearch' | 'ExtraHosts'>;
  NetworkSettings: Pick<NetworkSettings, 'Networks' | 'Ports' | 'SandboxKey' | 'IPAddress' | 'Gateway' | 'MacAddress'>;
};

/** Entrypoint and Cmd after Docker's merge rules (what `inspect` shows under Config). */
function effectiveCommand(record: ContainerRecord, image: ImageContainerConfig | null | undefined): { entrypoint: string[] | null; cmd: string[] | null } {
  const { entrypoint, cmd } = record.config.options;
  const userEntrypoint = entrypoint !== undefined && entrypoint.length > 0;
  const resolvedEntrypoint = userEntrypoint ? entrypoint : entrypoint === undefined ? (image?.Entrypoint ?? null) : null;
  const resolvedCmd = cmd !== undefined && cmd.length > 0 ? cmd : userEntrypoint ? null : (image?.Cmd ?? null);
  const clean = resolvedEntrypoint?.length === 1 && resolvedEntrypoint[0] === '' ? null : resolvedEntrypoint;
  return { entrypoint: clean, cmd: resolvedCmd };
}

function args(record: ContainerRecord, image: ImageContainerConfig | null | undefined): string[] {
  try {
    return commandLine(record.config.options, image ?? {});
  } catch {
    return []; // nothing to run (no-command; its image gone, say): no args to show
  }
}

/** Docker's merge of the image's and the user's Env (by key, the user wins). */
function mergedEnv(record: ContainerRecord, image: ImageContainerConfig | null | undefined): string[] {
  const user = record.config.options.env ?? [];
  const keys = new Set(user.map((e) => e.split('=')[0]));
  return [...user, ...(image?.Env ?? []).filter((e) => !keys.has(e.split('=')[0]))];
}

/** Config.Volumes as dockerd shows it: the container's anonymous volumes (`-v /path`, image VOLUMEs). */
function anonymousVolumeTargets(record: ContainerRecord): Record<string, Record<string, never>> | null {
  const targets = (record.config.mounts ?? []).flatMap((m) => (m.type === 'volume' && m.anonymous ? [m.target] : []));
  return targets.length === 0 ? null : Object.fromEntries(targets.map((t) => [t, {}]));
}

/** `Up 3 minutes`, `Up 2 seconds (Paused)`, `Exited (0) 5 seconds ago`, `Created`. */
export function statusText(record: ContainerRecord, now: Date, health?: HealthState): string {
  const { state } = record;
  const since = (iso: string): string => humanDuration(now.getTime() - Date.parse(iso));
  switch (state.status) {
    case 'running': return `Up ${since(state.startedAt)}${health === undefined ? '' : ` ${healthSuffix(health.status)}`}`;
    case 'paused': return `Up ${since(state.startedAt)} (Paused)`;
    case 'restarting': return `Restarting (${state.exitCode}) ${since(state.finishedAt)} ago`;
    case 'removing': return 'Removal In Progress';
    case 'dead': return 'Dead';
    case 'exited': return `Exited (${state.exitCode}) ${since(state.finishedAt)} ago`;
    case 'created': return 'Created';
  }
}

function usernsView(userns: UsernsConfig | undefined): { UidMap: IdMapView[]; GidMap: IdMapView[] } | null {
  if (userns === undefined) return null;
  return {
    UidMap: [{ ContainerID: 0, HostID: userns.uid, Size: userns.size }],
    GidMap: [{ ContainerID: 0, HostID: userns.gid, Size: userns.size }],
  };
}

/** `nameOf` gives the current name of a linked container (its name when linked is shown without it). */
export function inspectView(
  record: ContainerRecord, image: ImageContainerConfig | null | undefined, paths: ContainerPaths, execIds: string[], mounts: MountPoint[] = [], health?: HealthState,
  nameOf: (id: string) => string | undefined = () => undefined,
): ContainerInspectBase {
  const { state, config, id } = record;
  const o = config.options;
  const [path = '', ...rest] = args(record, image);
  const command = effectiveCommand(record, image);
  return {
    Id: id,
    Created: record.createdAt,
    Path: path,
    Args: rest,
    State: {
      Status: state.status,
      Running: state.status === 'running' || state.status === 'paused',
      Paused: state.status === 'paused',
      Restarting: state.status === 'restarting',
      OOMKilled: state.oomKilled,
      Dead: state.status === 'dead',
      Pid: state.pid,
      ExitCode: state.exitCode,
      Error: state.error,
      StartedAt: state.startedAt,
      FinishedAt: state.finishedAt,
      ...(health === undefined ? {} : { Health: healthView(health) }),
    },
    Image: record.imageId,
    ResolvConfPath: paths.etcFile(id, 'resolv.conf'),
    HostnamePath: paths.etcFile(id, 'hostname'),
    HostsPath: paths.etcFile(id, 'hosts'),
    LogPath: logPathOf(record, paths),
    Name: `/${record.name}`,
    RestartCount: state.restartCount,
    Driver: 'overlay',
    Platform: 'linux',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    ExecIDs: execIds.length === 0 ? null : execIds,
    HostConfig: {
      NetworkMode: o.networkMode ?? 'none',
      AutoRemove: config.autoRemove,
      Runtime: config.runtime ?? DEFAULT_RUNTIME,
      Privileged: o.privileged ?? false,
      ReadonlyRootfs: o.readOnly ?? false,
      CapAdd: o.capAdd ?? null,
      CapDrop: o.capDrop ?? null,
      SecurityOpt: o.securityOpt ?? null,
      Memory: o.memory ?? 0,
      MemorySwap: o.memorySwap ?? 0,
      MemoryReservation: o.memoryReservation ?? 0,
      NanoCpus: o.nanoCpus ?? 0,
      CpuShares: o.cpuShares ?? 0,
      CpuPeriod: o.cpuPeriod ?? 0,
      CpuQuota: o.cpuQuota ?? 0,
      CpusetCpus: o.cpusetCpus ?? '',
      CpusetMems: o.cpusetMems ?? '',
      PidsLimit: o.pidsLimit ?? null,
      Ulimits: o.ulimits?.map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard })) ?? null,
      ShmSize: o.shmSize ?? 64 * 1024 * 1024,
      Tmpfs: o.tmpfs ?? null,
      Sysctls: o.sysctls ?? null,
      OomScoreAdj: o.oomScoreAdj ?? 0,
      IpcMode: o.ipcMode ?? 'private',
      PidMode: o.pidMode === 'host' ? 'host' : '',
      UTSMode: o.utsMode === 'host' ? 'host' : '',
      CgroupnsMode: o.cgroupnsMode ?? 'private',
      UsernsMode: config.userns === undefined ? '' : config.userns.mode,
      Init: o.init ?? null,
      LogConfig: logConfigView(record),
      RestartPolicy: restartPolicyView(config.restartPolicy),
      Binds: null,
      PortBindings: {},
      GroupAdd: o.groupAdd ?? null,
      VolumesFrom: config.volumesFrom ?? null,
      Links: linkViews(record, nameOf),
      DeviceCgroupRules: o.deviceCgroupRules ?? null,
      MemorySwappiness: o.memorySwappiness ?? null,
      VolumeDriver: config.volumeDriver ?? '',
      Isolation: config.isolation ?? '',
      CpuRealtimePeriod: o.cpuRealtimePeriod ?? 0,
      CpuRealtimeRuntime: o.cpuRealtimeRuntime ?? 0,
    },
    GraphDriver: { Name: 'overlay', Data: null },
    // berth's own: the id mappings of `--userns auto` (null: the host's user namespace).
    UserNamespace: usernsView(config.userns),
    Mounts: mounts,
    Config: {
      Hostname: o.hostname ?? id.slice(0, 12),
      Domainname: o.domainname ?? '',
      User: o.user ?? image?.User ?? '',
      AttachStdin: config.attachStdin,
      AttachStdout: config.attachStdout,
      AttachStderr: config.attachStderr,
      Tty: o.tty ?? false,
      OpenStdin: o.openStdin ?? false,
      StdinOnce: config.stdinOnce,
      Env: mergedEnv(record, image),
      Cmd: command.cmd,
      Image: config.image,
      Volumes: anonymousVolumeTargets(record),
      WorkingDir: o.workingDir ?? image?.WorkingDir ?? '',
      Entrypoint: command.entrypoint,
      OnBuild: null,
      Labels: { ...(image?.Labels ?? {}), ...(o.labels ?? {}) },
      ...(config.stopSignal === undefined ? {} : { StopSignal: config.stopSignal }),
      ...(config.stopTimeout === undefined ? {} : { StopTimeout: config.stopTimeout }),
      ...(config.healthcheck === undefined ? {} : { Healthcheck: healthcheckView(config.healthcheck) }),
    },
    NetworkSettings: { Networks: {}, Ports: {}, SandboxKey: '', IPAddress: '', Gateway: '', MacAddress: '' },
  };
}

export function listView(
  record: ContainerRecord, image: ImageContainerConfig | null | undefined, now: Date, mounts: MountPoint[] = [], health?: HealthState,
): ContainerSummary {
  const command = args(record, image).map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ');
  return {
    Id: record.id,
    Names: [`/${record.name}`],
    Image: record.config.image,
    ImageID: record.imageId,
    Command: command,
    Created: Math.floor(Date.parse(record.createdAt) / 1000),
    Ports: [],
    Labels: { ...(image?.Labels ?? {}), ...(record.config.options.labels ?? {}) },
    State: record.state.status,
    Status: statusText(record, now, health),
    HostConfig: { NetworkMode: record.config.options.networkMode ?? 'none' },
    NetworkSettings: { Networks: {} },
    Mounts: mounts,
  };
}
