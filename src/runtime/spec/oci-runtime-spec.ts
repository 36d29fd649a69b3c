/**
 * The parts of the OCI runtime spec (config.json, runtime-spec 1.0.2 as runc 1.1.5 reads it) that
 * berth writes. Field names and shapes follow the spec exactly so that `JSON.stringify` of a
 * {@link RuntimeSpec} is a valid bundle config. Optional fields are omitted rather than set to null.
 * Deliberately absent: `apparmorProfile`, `selinuxLabel`, `mountLabel` (the project's hosts have
 * neither AppArmor nor SELinux, and runc fails when they are set).
 */

/** `process.user`: numeric ids only; names are resolved before the spec is written. */
export interface OciUser {
  uid: number;
  gid: number;
  umask?: number;
  additionalGids?: number[];
}

/** `process.capabilities`: each set lists `CAP_*` names. */
export interface OciCapabilities {
  bounding?: string[];
  effective?: string[];
  inheritable?: string[];
  permitted?: string[];
  ambient?: string[];
}

/** `process.rlimits[]`: `type` is `RLIMIT_<NAME>` in upper case. */
export interface OciRlimit {
  type: string;
  soft: number;
  hard: number;
}

export interface OciProcess {
  terminal?: boolean;
  consoleSize?: { height: number; width: number };
  user: OciUser;
  args: string[];
  env?: string[];
  cwd: string;
  capabilities?: OciCapabilities;
  rlimits?: OciRlimit[];
  noNewPrivileges?: boolean;
  oomScoreAdj?: number;
}

export interface OciRoot {
  path: string;
  readonly?: boolean;
}

export interface OciMount {
  destination: string;
  type?: string;
  source?: string;
  options?: string[];
}

export type OciNamespaceType = 'pid' | 'network' | 'mount' | 'ipc' | 'uts' | 'user' | 'cgroup';

export interface OciNamespace {
  type: OciNamespaceType;
  /** Join this namespace (e.g. `/proc/<pid>/ns/net`) instead of creating one. */
  path?: string;
}

export interface OciIdMapping {
  containerID: number;
  hostID: number;
  size: number;
}

/** `linux.devices[]`: a device node runc creates in the container's /dev. */
export interface OciDevice {
  type: 'c' | 'b' | 'u' | 'p';
  path: string;
  major?: number;
  minor?: number;
  fileMode?: number;
  uid?: number;
  gid?: number;
}

/** `linux.resources.devices[]`: one device cgroup rule; absent type/major/minor mean "all". */
export interface OciDeviceCgroupRule {
  allow: boolean;
  type?: 'a' | 'c' | 'b';
  major?: number;
  minor?: number;
  access?: string;
}

export interface OciMemory {
  limit?: number;
  reservation?: number;
  /** Memory + swap together, as cgroup v1's memsw; -1 means unlimited. */
  swap?: number;
  swappiness?: number;
  disableOOMKiller?: boolean;
}

export interface OciCpu {
  shares?: number;
  quota?: number;
  period?: number;
  cpus?: string;
  mems?: string;
  /** cgroup v1 cpu.rt_runtime_us (-1: unlimited). */
  realtimeRuntime?: number;
  /** cgroup v1 cpu.rt_period_us. */
  realtimePeriod?: number;
}

export interface OciPids {
  /** 0 or a negative value means unlimited (runc wants -1 to unset). */
  limit: number;
}

export interface OciResources {
  devices?: OciDeviceCgroupRule[];
  memory?: OciMemory;
  cpu?: OciCpu;
  pids?: OciPids;
}

export type SeccompAction =
  | 'SCMP_ACT_KILL'
  | 'SCMP_ACT_KILL_PROCESS'
  | 'SCMP_ACT_KILL_THREAD'
  | 'SCMP_ACT_TRAP'
  | 'SCMP_ACT_ERRNO'
  | 'SCMP_ACT_TRACE'
  | 'SCMP_ACT_ALLOW'
  | 'SCMP_ACT_LOG'
  | 'SCMP_ACT_NOTIFY';

export type SeccompOperator =
  | 'SCMP_CMP_NE'
  | 'SCMP_CMP_LT'
  | 'SCMP_CMP_LE'
  | 'SCMP_CMP_EQ'
  | 'SCMP_CMP_GE'
  | 'SCMP_CMP_GT'
  | 'SCMP_CMP_MASKED_EQ';

export interface OciSeccompArg {
  index: number;
  value: number;
  valueTwo?: number;
  op: SeccompOperator;
}

export interface OciSeccompSyscall {
  names: string[];
  action: SeccompAction;
  errnoRet?: number;
  args?: OciSeccompArg[];
}

/** `linux.seccomp` in its final (unconditional) form: what runc loads into the kernel. */
export interface OciSeccomp {
  defaultAction: SeccompAction;
  defaultErrnoRet?: number;
  architectures?: string[];
  flags?: string[];
  syscalls?: OciSeccompSyscall[];
}

export interface OciLinux {
  namespaces: OciNamespace[];
  uidMappings?: OciIdMapping[];
  gidMappings?: OciIdMapping[];
  devices?: OciDevice[];
  /** Absolute (`/berth/<id>`): a relative path would land under the caller's own cgroup. */
  cgroupsPath?: string;
  resources?: OciResources;
  sysctl?: Record<string, string>;
  seccomp?: OciSeccomp;
  maskedPaths?: string[];
  readonlyPaths?: string[];
  rootfsPropagation?: string;
}

/** A bundle's config.json. */
export interface RuntimeSpec {
  ociVersion: string;
  process: OciProcess;
  root: OciRoot;
  hostname?: string;
  mounts: OciMount[];
  linux: OciLinux;
  annotations?: Record<string, string>;
}
