/**
 * Containers as berthd shows them: `GET /containers/{id}/json` (ContainerJSON) and one entry of
 * `GET /containers/json`. The daemon's views (`api/container-views.ts`, `network-views.ts`,
 * `volume-views.ts`, `lifecycle-views.ts`) return these types and the client reads them, so a
 * field renamed on one side does not compile on the other.
 */
import type { MountPoint } from './mounts.js';
import type { EndpointView, NetworkSettings, PortMap, PortView } from './networks.js';

/** State.Health: status, failing streak, the last probe results (times RFC 3339). */
export interface HealthView {
  Status: 'starting' | 'healthy' | 'unhealthy';
  FailingStreak: number;
  Log: { Start: string; End: string; ExitCode: number; Output: string }[];
}

/** Config.Healthcheck as the container keeps it: durations in nanoseconds. */
export interface HealthcheckView {
  Test: string[];
  Interval: number;
  Timeout: number;
  StartPeriod: number;
  StartInterval: number;
  Retries: number;
}

export interface RestartPolicyView {
  Name: string;
  MaximumRetryCount: number;
}

export interface ContainerState {
  Status: string;
  Running: boolean;
  Paused: boolean;
  Restarting: boolean;
  OOMKilled: boolean;
  Dead: boolean;
  Pid: number;
  ExitCode: number;
  Error: string;
  StartedAt: string;
  FinishedAt: string;
  /** Only for a container with a health check. */
  Health?: HealthView;
}

/** HostConfig of inspect: what the container was created with (defaults filled in). */
export interface ContainerHostConfig {
  NetworkMode: string;
  AutoRemove: boolean;
  Runtime: string;
  Privileged: boolean;
  ReadonlyRootfs: boolean;
  CapAdd: string[] | null;
  CapDrop: string[] | null;
  SecurityOpt: string[] | null;
  Memory: number;
  MemorySwap: number;
  MemoryReservation: number;
  NanoCpus: number;
  CpuShares: number;
  CpuPeriod: number;
  CpuQuota: number;
  CpusetCpus: string;
  CpusetMems: string;
  PidsLimit: number | null;
  Ulimits: { Name: string; Soft: number; Hard: number }[] | null;
  ShmSize: number;
  Tmpfs: Record<string, string> | null;
  Sysctls: Record<string, string> | null;
  OomScoreAdj: number;
  IpcMode: string;
  PidMode: string;
  UTSMode: string;
  CgroupnsMode: string;
  UsernsMode: string;
  Init: boolean | null;
  LogConfig: { Type: string; Config: Record<string, string> };
  RestartPolicy: RestartPolicyView;
  Binds: string[] | null;
  PortBindings: PortMap;
  PublishAllPorts: boolean;
  Dns: string[];
  DnsSearch: string[];
  ExtraHosts: string[] | null;
  GroupAdd: string[] | null;
  VolumesFrom: string[] | null;
  Links: string[] | null;
  DeviceCgroupRules: string[] | null;
  MemorySwappiness: number | null;
  VolumeDriver: string;
  Isolation: string;
  CpuRealtimePeriod: number;
  CpuRealtimeRuntime: number;
}

/** Config of inspect: the user's settings merged with the image's. */
export interface ContainerConfigView {
  Hostname: string;
  Domainname: string;
  User: string;
  AttachStdin: boolean;
  AttachStdout: boolean;
  AttachStderr: boolean;
  Tty: boolean;
  OpenStdin: boolean;
  StdinOnce: boolean;
  Env: string[];
  Cmd: string[] | null;
  Image: string;
  /** The anonymous volumes' targets: `{"/path": {}}`. */
  Volumes: Record<string, Record<string, never>> | null;
  WorkingDir: string;
  Entrypoint: string[] | null;
  OnBuild: string[] | null;
  Labels: Record<string, string>;
  StopSignal?: string;
  StopTimeout?: number;
  Healthcheck?: HealthcheckView;
  ExposedPorts?: Record<string, Record<string, never>>;
  MacAddress?: string;
}

/** One id mapping of a user namespace. */
export interface IdMapView {
  ContainerID: number;
  HostID: number;
  Size: number;
}

/** `GET /containers/{id}/json`. */
export interface ContainerInspect {
  Id: string;
  Created: string;
  Path: string;
  Args: string[];
  State: ContainerState;
  Image: string;
  ResolvConfPath: string;
  HostnamePath: string;
  HostsPath: string;
  LogPath: string;
  Name: string;
  RestartCount: number;
  Driver: string;
  Platform: string;
  MountLabel: string;
  ProcessLabel: string;
  AppArmorProfile: string;
  ExecIDs: string[] | null;
  HostConfig: ContainerHostConfig;
  GraphDriver: { Name: string; Data: Record<string, string> | null };
  /** berth's own: the id mappings of `--userns auto` (null: the host's user namespace). */
  UserNamespace: { UidMap: IdMapView[]; GidMap: IdMapView[] } | null;
  Mounts: MountPoint[];
  Config: ContainerConfigView;
  NetworkSettings: NetworkSettings;
}

/** One entry of `GET /containers/json` (and of `GET /system/df`, with sizes). */
export interface ContainerSummary {
  Id: string;
  Names: string[];
  Image: string;
  ImageID: string;
  Command: string;
  /** Unix seconds. */
  Created: number;
  Ports: PortView[];
  Labels: Record<string, string>;
  State: string;
  /** `Up 3 minutes`, `Exited (0) 5 seconds ago`, … */
  Status: string;
  HostConfig: { NetworkMode: string };
  NetworkSettings: { Networks: Record<string, EndpointView> };
  Mounts: MountPoint[];
  /** Only in `GET /system/df`: the writable layer's size, and with the image's. */
  SizeRw?: number;
  SizeRootFs?: number;
}
