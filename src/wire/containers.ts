/**
 * The container request bodies: `POST /containers/create` (Config fields at the top level,
 * HostConfig, NetworkingConfig) and `POST /containers/{id}/update`, as the schemas berthd
 * validates with (unknown fields ignored; null and absent alike; integers exact, a `bigint`
 * beyond ±(2^53−1)), with the types a client sends (`z.input`) and the daemon reads (`z.infer`).
 * What needs the daemon — value checks, host resources, limits — is in `api/`. Also the small
 * answers of the container routes.
 */
import { z } from 'zod';
import { exactIntegerSchema, integerSchema } from './integers.js';
import { mountBodySchema } from './mounts.js';
import { hostConfigNetworkFields, networkingConfigSchema } from './networks.js';

const strings = z.array(z.string()).nullish();
const stringMap = z.record(z.string(), z.string()).nullish();
/** A resource field, exact (a bigint beyond ±(2^53−1)) for the daemon's range checks. */
const num = exactIntegerSchema.nullish();
const int = integerSchema.nullish();

/**
 * HostConfig fields beyond the common ones (GroupAdd, VolumesFrom, Links, DeviceCgroupRules,
 * MemorySwappiness, VolumeDriver, Isolation, CpuRealtime*): `api/container-host-fields.ts` checks them.
 */
export const hostConfigExtraFields = {
  GroupAdd: strings,
  VolumesFrom: strings,
  Links: strings,
  DeviceCgroupRules: strings,
  /** Exact for the range check (0..100, -1 unset), done before these fields are read. */
  MemorySwappiness: num,
  VolumeDriver: z.string().nullish(),
  Isolation: z.string().nullish(),
  CpuRealtimePeriod: int,
  CpuRealtimeRuntime: int,
};
export type HostConfigExtras = { [K in keyof typeof hostConfigExtraFields]?: z.infer<(typeof hostConfigExtraFields)[K]> };

const ulimitSchema = z.object({ Name: z.string(), Soft: exactIntegerSchema, Hard: exactIntegerSchema });
/** `--ulimit name=soft:hard`. */
export type Ulimit = z.input<typeof ulimitSchema>;

const restartPolicySchema = z.object({ Name: z.string().nullish(), MaximumRetryCount: int }).nullish();

/** The resource fields of HostConfig (Docker's `Resources`), as create and update take them. */
const resourceFields = {
  Memory: num,
  MemorySwap: num,
  MemoryReservation: num,
  NanoCpus: num,
  CpuShares: num,
  CpuPeriod: num,
  CpuQuota: num,
  CpusetCpus: z.string().nullish(),
  CpusetMems: z.string().nullish(),
  PidsLimit: num,
  KernelMemory: num,
  CpuPercent: num,
  BlkioWeight: num,
  BlkioWeightDevice: z.array(z.object({ Path: z.string().nullish(), Weight: num })).nullish(),
  IOMaximumIOps: num,
  IOMaximumBandwidth: num,
};

export const hostConfigSchema = z.object({
  /** `-v` entries with a source (`name:/path`, `/host:/path[:opts]`). */
  Binds: strings,
  Mounts: z.array(mountBodySchema).nullish(),
  Init: z.boolean().nullish(),
  ...resourceFields,
  Ulimits: z.array(ulimitSchema).nullish(),
  CapAdd: strings,
  CapDrop: strings,
  Privileged: z.boolean().nullish(),
  ReadonlyRootfs: z.boolean().nullish(),
  SecurityOpt: strings,
  ShmSize: num,
  Tmpfs: stringMap,
  Sysctls: stringMap,
  OomScoreAdj: num,
  NetworkMode: z.string().nullish(),
  IpcMode: z.string().nullish(),
  PidMode: z.string().nullish(),
  UTSMode: z.string().nullish(),
  CgroupnsMode: z.string().nullish(),
  /** `auto` (own user namespace and id range) or `host`; absent = the daemon's default. */
  UsernsMode: z.string().nullish(),
  AutoRemove: z.boolean().nullish(),
  /** The OCI runtime (`runc`, `crun`); absent: berthd's default. */
  Runtime: z.string().nullish(),
  LogConfig: z.object({ Type: z.string().nullish(), Config: stringMap }).nullish(),
  /** [rows, columns] of the TTY at creation (with Tty). */
  ConsoleSize: z.tuple([integerSchema, integerSchema]).nullish(),
  ...hostConfigNetworkFields,
  ...hostConfigExtraFields,
  RestartPolicy: restartPolicySchema,
}).nullish();
/** `HostConfig` of a create body, as a client sends it. */
export type HostConfig = NonNullable<z.input<typeof hostConfigSchema>>;

/** Config.Healthcheck: durations in nanoseconds (0 = inherit from the image); Test `["NONE"]`, `["CMD", …]` or `["CMD-SHELL", cmd]`. */
const healthcheckSchema = z.object({
  Test: strings,
  Interval: int,
  Timeout: int,
  StartPeriod: int,
  StartInterval: int,
  Retries: int,
}).nullish();
export type HealthcheckBody = NonNullable<z.input<typeof healthcheckSchema>>;

/** The body of `POST /containers/create`; only `Image` is required. */
export const containerCreateBodySchema = z.object({
  Hostname: z.string().nullish(),
  Domainname: z.string().nullish(),
  User: z.string().nullish(),
  AttachStdin: z.boolean().nullish(),
  AttachStdout: z.boolean().nullish(),
  AttachStderr: z.boolean().nullish(),
  Tty: z.boolean().nullish(),
  OpenStdin: z.boolean().nullish(),
  StdinOnce: z.boolean().nullish(),
  Env: strings,
  Cmd: z.union([z.array(z.string()), z.string()]).nullish(),
  Entrypoint: z.union([z.array(z.string()), z.string()]).nullish(),
  Image: z.string().min(1, 'Image: required'),
  WorkingDir: z.string().nullish(),
  Labels: stringMap,
  StopSignal: z.string().nullish(),
  StopTimeout: int,
  NetworkDisabled: z.boolean().nullish(),
  /** `--mac-address`: the MAC on the first network. */
  MacAddress: z.string().nullish(),
  /** `{"80/tcp": {}}` (`--expose`, and the docker CLI adds the `-p` ports). */
  ExposedPorts: z.record(z.string(), z.unknown()).nullish(),
  /** Anonymous volumes (`-v /path`): `{"/path": {}}`. */
  Volumes: z.record(z.string(), z.unknown()).nullish(),
  Healthcheck: healthcheckSchema,
  HostConfig: hostConfigSchema,
  NetworkingConfig: networkingConfigSchema,
});
/** A create body as validated (integers exact where the daemon checks ranges). */
export type ContainerCreateBody = z.infer<typeof containerCreateBodySchema>;
/** A create body as a client sends it. */
export type ContainerCreateConfig = z.input<typeof containerCreateBodySchema>;

/**
 * The body of `POST /containers/{id}/update`: the resource fields of HostConfig and the restart
 * policy (zero or absent = unchanged, as the docker CLI sends them). MemorySwappiness,
 * KernelMemory, CpuPercent and the Block I/O fields are checked as dockerd checks them, and change nothing.
 */
export const containerUpdateBodySchema = z.object({
  ...resourceFields,
  MemorySwappiness: num,
  RestartPolicy: restartPolicySchema,
});
export type ContainerUpdateBody = z.infer<typeof containerUpdateBodySchema>;
/** An update body as a client sends it. */
export type ContainerUpdate = z.input<typeof containerUpdateBodySchema>;

/** `POST /containers/create`. */
export interface ContainerCreateResponse {
  Id: string;
  Warnings: string[] | null;
}

/** `POST /containers/{id}/update`: dockerd's warnings for what is discarded. */
export interface ContainerUpdateResponse {
  Warnings: string[];
}

/** The `condition` of `POST /containers/{id}/wait`. */
export type WaitCondition = 'not-running' | 'next-exit' | 'removed';

/** `POST /containers/{id}/wait`: the exit code, and an error when waiting itself failed. */
export interface WaitResponse {
  StatusCode: number;
  Error?: { Message: string } | null;
}

/** `POST /containers/prune`. */
export interface ContainerPruneResponse {
  ContainersDeleted: string[] | null;
  SpaceReclaimed: number;
}

/** `GET /containers/{id}/top`: `ps` columns and rows. */
export interface ContainerTop {
  Titles: string[];
  Processes: string[][];
}

/** One change of `GET /containers/{id}/changes`; Kind 0 modified, 1 added, 2 deleted. */
export interface ContainerChange {
  Path: string;
  Kind: number;
}

/** `X-Docker-Container-Path-Stat` of the archive routes (base64 JSON); mode in Go's os.FileMode bits. */
export interface ContainerPathStat {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  linkTarget: string;
}
