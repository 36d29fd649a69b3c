/**
 * The Docker Engine API's container JSON shapes as berthd serves them (src/api/container-views.ts,
 * container-create-body.ts): only the fields the clients read are typed; the rest pass through.
 */

export interface Ulimit {
  Name: string;
  Soft: number;
  Hard: number;
}

/** One `HostConfig.Mounts` entry (`--mount`). */
export interface MountConfig {
  Type: 'bind' | 'volume' | 'tmpfs';
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  BindOptions?: { Propagation?: string; CreateMountpoint?: boolean };
  VolumeOptions?: { NoCopy?: boolean; Labels?: Record<string, string>; DriverConfig?: { Name?: string; Options?: Record<string, string> } };
  TmpfsOptions?: { SizeBytes?: number; Mode?: number };
}

/** `HostConfig` of `POST /containers/create`. */
export interface HostConfig {
  /** `-v` entries with a source (`name:/path`, `/host:/path[:opts]`). */
  Binds?: string[];
  Mounts?: MountConfig[];
  Init?: boolean;
  /** The OCI runtime (`runc`, `crun`); absent: berthd's default. */
  Runtime?: string;
  Memory?: number;
  MemorySwap?: number;
  MemoryReservation?: number;
  NanoCpus?: number;
  CpuShares?: number;
  CpuPeriod?: number;
  CpuQuota?: number;
  CpusetCpus?: string;
  CpusetMems?: string;
  PidsLimit?: number;
  Ulimits?: Ulimit[];
  CapAdd?: string[];
  CapDrop?: string[];
  Privileged?: boolean;
  ReadonlyRootfs?: boolean;
  SecurityOpt?: string[];
  ShmSize?: number;
  Tmpfs?: Record<string, string>;
  Sysctls?: Record<string, string>;
  OomScoreAdj?: number;
  NetworkMode?: string;
  IpcMode?: string;
  PidMode?: string;
  UTSMode?: string;
  CgroupnsMode?: string;
  /** `auto` (own user namespace and id range) or `host`; absent = the daemon's default. */
  UsernsMode?: string;
  AutoRemove?: boolean;
  /** [rows, columns] of the TTY at creation (with Tty). */
  ConsoleSize?: [number, number];
  LogConfig?: { Type: string; Config: Record<string, string> };
  PortBindings?: Record<string, { HostIp: string; HostPort: string }[]>;
  PublishAllPorts?: boolean;
  Dns?: string[];
  DnsSearch?: string[];
  ExtraHosts?: string[];
  RestartPolicy?: { Name: string; MaximumRetryCount: number };
}

/** Config.Healthcheck: durations in nanoseconds; Test `["NONE"]`, `["CMD", …]` or `["CMD-SHELL", cmd]`. */
export interface HealthcheckBody {
  Test?: string[];
  Interval?: number;
  Timeout?: number;
  StartPeriod?: number;
  StartInterval?: number;
  Retries?: number;
}

/** The body of `POST /containers/create` (Config fields at the top level). */
export interface ContainerCreateConfig {
  Image: string;
  Cmd?: string[];
  Entrypoint?: string[];
  Env?: string[];
  WorkingDir?: string;
  User?: string;
  Hostname?: string;
  Domainname?: string;
  Labels?: Record<string, string>;
  Tty?: boolean;
  OpenStdin?: boolean;
  StdinOnce?: boolean;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  StopSignal?: string;
  StopTimeout?: number;
  /** Anonymous volumes (`-v /path`). */
  Volumes?: Record<string, Record<string, never>>;
  Healthcheck?: HealthcheckBody;
  HostConfig?: HostConfig;
  /** `--expose` (and Docker's CLI adds the `-p` ports): `{"80/tcp": {}}`. */
  ExposedPorts?: Record<string, Record<string, never>>;
  /** `--mac-address`: the MAC on the first network. */
  MacAddress?: string;
  NetworkingConfig?: { EndpointsConfig: Record<string, { Aliases?: string[]; IPAMConfig?: { IPv4Address: string }; MacAddress?: string }> };
}

export interface ContainerCreateResponse {
  Id: string;
  Warnings: string[] | null;
}

/** One entry of `GET /containers/json`. */
export interface ContainerSummary {
  Id: string;
  Names: string[];
  Image: string;
  ImageID: string;
  Command: string;
  /** Unix seconds. */
  Created: number;
  Ports: unknown[];
  Labels: Record<string, string> | null;
  State: string;
  Status: string;
  [field: string]: unknown;
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
}

/** `GET /containers/{id}/json`. */
export interface ContainerInspect {
  Id: string;
  Name: string;
  Created: string;
  Image: string;
  State: ContainerState;
  Config: { Tty: boolean; OpenStdin: boolean; StdinOnce?: boolean; Image: string; [field: string]: unknown };
  HostConfig: { AutoRemove?: boolean; [field: string]: unknown };
  [field: string]: unknown;
}

/** `POST /containers/{id}/wait`: the exit code, and an error when waiting itself failed. */
export interface WaitResponse {
  StatusCode: number;
  Error?: { Message: string } | null;
}

export type WaitCondition = 'not-running' | 'next-exit' | 'removed';

/** `POST /containers/{id}/exec`. */
export interface ExecConfig {
  Cmd: string[];
  Env?: string[];
  User?: string;
  WorkingDir?: string;
  Tty?: boolean;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  Privileged?: boolean;
  DetachKeys?: string;
}

/** `GET /exec/{id}/json`. */
export interface ExecInspect {
  ID: string;
  Running: boolean;
  ExitCode: number | null;
  ContainerID: string;
  Pid: number;
  [field: string]: unknown;
}

/** Query of `GET /containers/{id}/logs` (times as Unix seconds with a fraction, or RFC 3339). */
export interface LogsOptions {
  follow?: boolean;
  stdout?: boolean;
  stderr?: boolean;
  since?: string;
  until?: string;
  timestamps?: boolean;
  tail?: string;
}

/** `POST /containers/{id}/update`: the resource fields and restart policy of HostConfig (absent = unchanged). */
export type ContainerUpdate = Pick<HostConfig,
  'Memory' | 'MemorySwap' | 'MemoryReservation' | 'NanoCpus' | 'CpuShares' | 'CpuPeriod' | 'CpuQuota' | 'CpusetCpus' | 'CpusetMems' | 'PidsLimit' | 'RestartPolicy'>;

interface CpuStats {
  cpu_usage: { total_usage: number; percpu_usage?: number[] };
  system_cpu_usage?: number;
  online_cpus?: number;
}

/** One document of `GET /containers/{id}/stats` (the fields the CLI reads). */
export interface ContainerStats {
  read: string;
  name: string;
  id: string;
  cpu_stats: CpuStats;
  precpu_stats: CpuStats;
  memory_stats: { usage?: number; limit?: number; stats?: Record<string, number> };
  pids_stats: { current?: number };
  blkio_stats: { io_service_bytes_recursive: { op: string; value: number }[] | null };
  networks?: Record<string, { rx_bytes: number; tx_bytes: number }>;
}

/** `X-Docker-Container-Path-Stat` of the archive routes; mode in Go's os.FileMode bits. */
export interface ContainerPathStat {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  linkTarget: string;
}

/** `GET /system/df` (the fields the CLI reads). */
export interface DiskUsage {
  LayersSize: number;
  Images: { Id: string; Size: number; Containers: number }[];
  Containers: { Id: string; State: string; SizeRw?: number }[];
  Volumes: { Name: string; UsageData?: { Size: number; RefCount: number } }[] | null;
  BuildCache: { Size: number; InUse: boolean }[] | null;
}
