/**
 * The system routes on the wire: `GET /system/df`, `GET /info` (dockerd's SystemInfo: berthd fills
 * every key its answer has, `api/info-view.ts`) and `GET /version` (`api/routes/system.ts`).
 */
import type { ContainerSummary } from './container-inspect.js';
import type { ImageSummary } from './images.js';
import type { SwarmClusterInfo } from './swarm.js';
import type { Volume } from './volumes.js';

/** A `RUN --mount=type=cache` directory as Docker's BuildCache record (type `exec.cachemount`). */
export interface BuildCacheRecord {
  ID: string;
  Parent: string;
  Parents: string[] | null;
  Type: string;
  Description: string;
  InUse: boolean;
  Shared: boolean;
  Size: number;
  CreatedAt: string;
  LastUsedAt: string | null;
  UsageCount: number;
}

/** `GET /system/df`: the unpacked layers, images, containers with their sizes, volumes with UsageData, the build cache. */
export interface DiskUsage {
  LayersSize: number;
  Images: ImageSummary[];
  Containers: ContainerSummary[];
  Volumes: Volume[] | null;
  BuildCache: BuildCacheRecord[] | null;
}

/** `/info`'s `Swarm`: the swarm module's (`api/routes/swarm-inactive.ts` of a node in no swarm: `inactive`). */
export interface SwarmInfo {
  NodeID: string;
  NodeAddr: string;
  LocalNodeState: 'inactive' | 'pending' | 'active' | 'error' | 'locked';
  ControlAvailable: boolean;
  Error: string;
  RemoteManagers: { NodeID: string; Addr: string }[] | null;
  /** A manager's counts. */
  Nodes?: number;
  Managers?: number;
  /** A manager's view of the swarm (`GET /swarm` without its join tokens). */
  Cluster?: SwarmClusterInfo;
}

/** One registry of `RegistryConfig.IndexConfigs`. */
export interface RegistryIndexInfo {
  Name: string;
  Mirrors: string[];
  Secure: boolean;
  Official: boolean;
}

/** `/info`'s RegistryConfig: docker.io secure and official, `--insecure-registry` hosts insecure, loopback always insecure. */
export interface RegistryServiceConfig {
  AllowNondistributableArtifactsCIDRs: string[];
  AllowNondistributableArtifactsHostnames: string[];
  InsecureRegistryCIDRs: string[];
  IndexConfigs: Record<string, RegistryIndexInfo>;
  Mirrors: string[];
}

/** A component's commit as `/info` reports it (berth: both empty). */
export interface CommitInfo {
  ID: string;
  Expected: string;
}

/** `GET /info`: counts, storage, plugins, cgroup features, kernel, resources, registries, runtimes, swarm. */
export interface SystemInfo {
  ID: string;
  Containers: number;
  ContainersRunning: number;
  ContainersPaused: number;
  ContainersStopped: number;
  Images: number;
  Driver: string;
  /** [name, value] pairs (`Backing Filesystem`). */
  DriverStatus: [string, string][];
  Plugins: { Volume: string[]; Network: string[]; Authorization: string[] | null; Log: string[] };
  MemoryLimit: boolean;
  SwapLimit: boolean;
  KernelMemory: boolean;
  KernelMemoryTCP: boolean;
  CpuCfsPeriod: boolean;
  CpuCfsQuota: boolean;
  CPUShares: boolean;
  CPUSet: boolean;
  PidsLimit: boolean;
  IPv4Forwarding: boolean;
  BridgeNfIptables: boolean;
  BridgeNfIp6tables: boolean;
  Debug: boolean;
  NFd: number;
  OomKillDisable: boolean;
  /** berth: the daemon's threads. */
  NGoroutines: number;
  /** RFC 3339. */
  SystemTime: string;
  LoggingDriver: string;
  CgroupDriver: string;
  CgroupVersion: '1' | '2';
  NEventsListener: number;
  KernelVersion: string;
  OperatingSystem: string;
  OSVersion: string;
  OSType: string;
  Architecture: string;
  IndexServerAddress: string;
  RegistryConfig: RegistryServiceConfig;
  NCPU: number;
  MemTotal: number;
  GenericResources: null;
  DockerRootDir: string;
  HttpProxy: string;
  HttpsProxy: string;
  NoProxy: string;
  Name: string;
  Labels: string[];
  ExperimentalBuild: boolean;
  ServerVersion: string;
  /** By name: the runtime's binary. */
  Runtimes: Record<string, { path: string }>;
  DefaultRuntime: string;
  Swarm: SwarmInfo;
  LiveRestoreEnabled: boolean;
  Isolation: string;
  InitBinary: string;
  ContainerdCommit: CommitInfo;
  RuncCommit: CommitInfo;
  InitCommit: CommitInfo;
  /** `name=seccomp,profile=builtin`, `name=userns`. */
  SecurityOptions: string[];
  Warnings: string[];
}

/** One component of `/version` (berth: Engine); Details as Docker's, a string map. */
export interface ComponentVersion {
  Name: string;
  Version: string;
  Details: Record<string, string>;
}

/** `GET /version`. */
export interface SystemVersion {
  Platform: { Name: string };
  Components: ComponentVersion[];
  Version: string;
  ApiVersion: string;
  MinAPIVersion: string;
  GitCommit: string;
  /** berth: `node<version>`. */
  GoVersion: string;
  Os: string;
  Arch: string;
  KernelVersion: string;
  BuildTime: string;
}
