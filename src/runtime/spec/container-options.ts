/**
 * What a user asks for when creating a container (`docker run`/`docker create` flags, or the Docker
 * API's Config + HostConfig), before it is merged with the image config. Every field is optional;
 * an absent field means Docker's default. Validation happens in `buildSpec`, which throws
 * invalid-argument naming the offending option.
 */
export interface ContainerOptions {
  /** Replaces the image's Cmd when non-empty. */
  cmd?: string[];
  /**
   * Replaces the image's Entrypoint. Docker's rule: a non-empty entrypoint also drops the image's
   * Cmd (only `cmd` is appended); `['']` (`--entrypoint ""`) resets it to none, so `cmd` is the
   * whole command line (and required, as in Docker); `[]` drops the image's Entrypoint only.
   */
  entrypoint?: string[];
  /** `KEY=value` entries, merged over the image's Env by key; a bare `KEY` unsets it. */
  env?: string[];
  /** Absolute; replaces the image's WorkingDir. `/` when neither sets one. */
  workingDir?: string;
  /** `user`, `uid`, `user:group`, `uid:gid` (names resolved with the image's /etc/passwd, /etc/group). */
  user?: string;
  /** The container's hostname; the first 12 characters of the id when absent. */
  hostname?: string;
  /** NIS domain name (set through the `kernel.domainname` sysctl, as Docker does). */
  domainname?: string;
  /** Kept on the container record; never written into the runtime spec. */
  labels?: Record<string, string>;
  tty?: boolean;
  openStdin?: boolean;
  /** `--read-only`: mount the root filesystem read-only. */
  readOnly?: boolean;
  privileged?: boolean;
  /** Capabilities, with or without the `CAP_` prefix, any case, or `ALL`. */
  capAdd?: string[];
  capDrop?: string[];
  /**
   * `no-new-privileges`, `no-new-privileges=true|false`, `seccomp=unconfined`, or
   * `seccomp=<profile JSON text>` (the caller reads the file). `label=...` and `apparmor=...` are
   * rejected: this host has neither SELinux nor AppArmor.
   */
  securityOpt?: string[];
  /** Memory limit in bytes (at least 6 MiB). */
  memory?: number;
  /**
   * Memory + swap in bytes (Docker's semantics): absent or 0 means twice `memory`; -1 means
   * unlimited swap; otherwise at least `memory`. Needs `memory`.
   */
  memorySwap?: number;
  /** Soft limit in bytes (at least 6 MiB, not above `memory`). */
  memoryReservation?: number;
  /** Relative CPU weight (cgroup v1 cpu.shares; 1024 is the default weight). */
  cpuShares?: number;
  /** CFS quota in microseconds per period (at least 1000). */
  cpuQuota?: number;
  /** CFS period in microseconds (1000 to 1000000). */
  cpuPeriod?: number;
  /** `--cpus` × 1e9; exclusive with cpuQuota and cpuPeriod. */
  nanoCpus?: number;
  /** CPUs allowed, e.g. `0-2,4`. */
  cpusetCpus?: string;
  /** Memory nodes allowed, e.g. `0`. */
  cpusetMems?: string;
  /** Maximum number of tasks; 0 or negative means unlimited. */
  pidsLimit?: number;
  /** `--ulimit`: name without `RLIMIT_` (nofile, nproc, core, ...). Clamped to the daemon's hard limits. */
  ulimits?: Ulimit[];
  /** Size of /dev/shm in bytes; 64 MiB when absent. */
  shmSize?: number;
  /** `--tmpfs`: container path → mount options (`size=64m,mode=1777`, may be empty). */
  tmpfs?: Record<string, string>;
  /** Namespaced sysctls only (net.*, kernel.shm*, kernel.msg*, kernel.sem, fs.mqueue.*). */
  sysctls?: Record<string, string>;
  /** -1000 to 1000. */
  oomScoreAdj?: number;
  /** `none`: a new network namespace with only loopback. `host`: the host's network namespace. */
  networkMode?: 'none' | 'host';
  ipcMode?: 'private' | 'host';
  pidMode?: 'private' | 'host';
  utsMode?: 'private' | 'host';
  /** Private by default, as on cgroup v2 hosts (Docker picks host on cgroup v1 hosts). */
  cgroupnsMode?: 'private' | 'host';
  /** `--init`: a small init (tini) is PID 1, forwards signals and reaps zombies. */
  init?: boolean;
  /** `--group-add`: supplementary groups, names (the image's /etc/group) or numbers, for every process. */
  groupAdd?: string[];
  /** `--device-cgroup-rule`: `type major:minor access` allow rules (`c 1:3 rwm`), after the default rules. */
  deviceCgroupRules?: string[];
  /** `--memory-swappiness`: 0 to 100 (cgroup v1 memory.swappiness); absent = the parent's. */
  memorySwappiness?: number;
  /** `--cpu-rt-period`: real-time scheduling period in microseconds (cgroup v1 cpu.rt_period_us). */
  cpuRealtimePeriod?: number;
  /** `--cpu-rt-runtime`: real-time runtime per period in microseconds (cgroup v1 cpu.rt_runtime_us). */
  cpuRealtimeRuntime?: number;
}

/** One `--ulimit name=soft[:hard]`. */
export interface Ulimit {
  name: string;
  soft: number;
  hard: number;
}
