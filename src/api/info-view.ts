/**
 * `GET /info` in dockerd's shape: every key dockerd's answer has, with berth's own values. Pure:
 * the facts come in (host-info.ts reads the machine's). Features are what berth can use on this
 * host (KernelMemory, OomKillDisable: berth sets no such limits, so false).
 */
import type { RegistryIndexInfo, RegistryServiceConfig, SwarmInfo, SystemInfo } from '../wire/system.js';
import type { HostInfo } from './host-info.js';

export interface ContainerCounts {
  total: number;
  running: number;
  paused: number;
  stopped: number;
}

export interface InfoInput {
  id: string;
  name: string;
  serverVersion: string;
  containers: ContainerCounts;
  images: number;
  rootDir: string;
  host: HostInfo;
  cgroupVersion: '1' | '2';
  osType: string;
  architecture: string;
  kernelVersion: string;
  ncpu: number;
  memTotal: number;
  defaultRuntime: string;
  runtimes: readonly { name: string; path: string }[];
  securityOptions: readonly string[];
  /** Registries reachable over plain HTTP (`--insecure-registry`). */
  insecureRegistries: readonly string[];
  swarm: SwarmInfo;
  eventListeners: number;
  initBinary: string;
  /** The default log driver (`berthd --log-driver`; json-file when absent). */
  loggingDriver?: string;
  /** HTTP_PROXY, HTTPS_PROXY and NO_PROXY of the daemon's environment. */
  env: Readonly<Record<string, string | undefined>>;
  now: Date;
}

function proxy(env: InfoInput['env'], name: string): string {
  return env[name] ?? env[name.toLowerCase()] ?? '';
}

/** Docker's RegistryConfig: docker.io secure and official; `--insecure-registry` hosts insecure; loopback always insecure. */
function registryConfig(insecure: readonly string[]): RegistryServiceConfig {
  const index = (name: string, secure: boolean, official: boolean): RegistryIndexInfo => ({ Name: name, Mirrors: [], Secure: secure, Official: official });
  return {
    AllowNondistributableArtifactsCIDRs: [],
    AllowNondistributableArtifactsHostnames: [],
    InsecureRegistryCIDRs: ['127.0.0.0/8', '::1/128'],
    IndexConfigs: { 'docker.io': index('docker.io', true, true), ...Object.fromEntries(insecure.map((host) => [host, index(host, false, false)])) },
    Mirrors: [],
  };
}

/** The engine's drivers as dockerd lists its plugins; as dockerd, the log drivers that keep logs (none is not listed). */
export const ENGINE_PLUGINS = { Volume: ['local'], Network: ['bridge', 'host', 'null'], Log: ['json-file', 'k8s-file', 'local'] } as const;

export function infoView(input: InfoInput): SystemInfo {
  const { host } = input;
  const none = { ID: '', Expected: '' };
  return {
    ID: input.id,
    Containers: input.containers.total,
    ContainersRunning: input.containers.running,
    ContainersPaused: input.containers.paused,
    ContainersStopped: input.containers.stopped,
    Images: input.images,
    Driver: 'overlay',
    DriverStatus: [['Backing Filesystem', host.backingFilesystem]],
    Plugins: { Volume: [...ENGINE_PLUGINS.Volume], Network: [...ENGINE_PLUGINS.Network], Authorization: null, Log: [...ENGINE_PLUGINS.Log] },
    MemoryLimit: host.cgroups.memoryLimit,
    SwapLimit: host.cgroups.swapLimit,
    KernelMemory: false,
    KernelMemoryTCP: false,
    CpuCfsPeriod: host.cgroups.cpuCfsPeriod,
    CpuCfsQuota: host.cgroups.cpuCfsQuota,
    CPUShares: host.cgroups.cpuShares,
    CPUSet: host.cgroups.cpuSet,
    PidsLimit: host.cgroups.pidsLimit,
    IPv4Forwarding: host.ipv4Forwarding,
    BridgeNfIptables: host.bridgeNfIptables,
    BridgeNfIp6tables: host.bridgeNfIp6tables,
    Debug: false,
    NFd: host.openFiles,
    OomKillDisable: false,
    // berth runs on Node: its threads stand for dockerd's goroutines.
    NGoroutines: host.threads,
    SystemTime: input.now.toISOString(),
    LoggingDriver: input.loggingDriver ?? 'json-file',
    CgroupDriver: 'cgroupfs',
    CgroupVersion: input.cgroupVersion,
    NEventsListener: input.eventListeners,
    KernelVersion: input.kernelVersion,
    OperatingSystem: host.operatingSystem,
    OSVersion: host.osVersion,
    OSType: input.osType,
    Architecture: input.architecture,
    IndexServerAddress: 'https://index.docker.io/v1/',
    RegistryConfig: registryConfig(input.insecureRegistries),
    NCPU: input.ncpu,
    MemTotal: input.memTotal,
    GenericResources: null,
    DockerRootDir: input.rootDir,
    HttpProxy: proxy(input.env, 'HTTP_PROXY'),
    HttpsProxy: proxy(input.env, 'HTTPS_PROXY'),
    NoProxy: proxy(input.env, 'NO_PROXY'),
    Name: input.name,
    Labels: [],
    ExperimentalBuild: false,
    ServerVersion: input.serverVersion,
    Runtimes: Object.fromEntries(input.runtimes.map((r) => [r.name, { path: r.path }])),
    DefaultRuntime: input.defaultRuntime,
    Swarm: input.swarm,
    // Containers outlive berthd: each has its own conmon, and the next berthd adopts them.
    LiveRestoreEnabled: true,
    Isolation: '',
    InitBinary: input.initBinary,
    ContainerdCommit: none,
    RuncCommit: none,
    InitCommit: none,
    SecurityOptions: [...input.securityOptions],
    Warnings: [],
  };
}
