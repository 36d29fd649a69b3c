/**
 * A container as the node records it: `config` is the user's intent (fixed at create), `state` what
 * was last observed. Both are stored as JSON and checked against these schemas when read back.
 */
import { z } from 'zod';
import { containerNetworkSchema } from '../network/container-network.js';
import type { ContainerOptions } from '../runtime/spec/container-options.js';
import { usernsConfigSchema } from '../runtime/userns/id-ranges.js';
import { LOG_DRIVERS } from '../runtime/logging/log-options.js';
import { containerMountSchema } from './container-mount.js';
import { healthcheckConfigSchema } from './health/health-config.js';
import { restartPolicySchema } from './restart/restart-policy.js';

const namespaceMode = z.enum(['private', 'host']);

/** Read back from JSON, where a field is absent or set: `exactOptional` infers `?: T`, as ContainerOptions declares. */
const containerOptionsSchema: z.ZodType<ContainerOptions> = z.object({
  cmd: z.array(z.string()).exactOptional(),
  entrypoint: z.array(z.string()).exactOptional(),
  env: z.array(z.string()).exactOptional(),
  workingDir: z.string().exactOptional(),
  user: z.string().exactOptional(),
  hostname: z.string().exactOptional(),
  domainname: z.string().exactOptional(),
  labels: z.record(z.string(), z.string()).exactOptional(),
  tty: z.boolean().exactOptional(),
  openStdin: z.boolean().exactOptional(),
  readOnly: z.boolean().exactOptional(),
  privileged: z.boolean().exactOptional(),
  capAdd: z.array(z.string()).exactOptional(),
  capDrop: z.array(z.string()).exactOptional(),
  securityOpt: z.array(z.string()).exactOptional(),
  memory: z.number().exactOptional(),
  memorySwap: z.number().exactOptional(),
  memoryReservation: z.number().exactOptional(),
  cpuShares: z.number().exactOptional(),
  cpuQuota: z.number().exactOptional(),
  cpuPeriod: z.number().exactOptional(),
  nanoCpus: z.number().exactOptional(),
  cpusetCpus: z.string().exactOptional(),
  cpusetMems: z.string().exactOptional(),
  pidsLimit: z.number().exactOptional(),
  ulimits: z.array(z.object({ name: z.string(), soft: z.number(), hard: z.number() })).exactOptional(),
  shmSize: z.number().exactOptional(),
  tmpfs: z.record(z.string(), z.string()).exactOptional(),
  sysctls: z.record(z.string(), z.string()).exactOptional(),
  oomScoreAdj: z.number().exactOptional(),
  networkMode: z.enum(['none', 'host']).exactOptional(),
  ipcMode: namespaceMode.exactOptional(),
  pidMode: namespaceMode.exactOptional(),
  utsMode: namespaceMode.exactOptional(),
  cgroupnsMode: namespaceMode.exactOptional(),
  init: z.boolean().exactOptional(),
  groupAdd: z.array(z.string()).exactOptional(),
  deviceCgroupRules: z.array(z.string()).exactOptional(),
  memorySwappiness: z.number().exactOptional(),
  cpuRealtimePeriod: z.number().exactOptional(),
  cpuRealtimeRuntime: z.number().exactOptional(),
});

/** A legacy link (`--link name:alias`): the linked container's id, its name when linked, the alias (a path below the linking container's name). */
export const containerLinkSchema = z.object({ container: z.string(), name: z.string(), alias: z.string() });
export type ContainerLink = z.infer<typeof containerLinkSchema>;

/** The log driver of a container (`--log-driver`, `--log-opt`; see container-log-config.ts). */
export const logConfigSchema = z.object({
  /** Absent in records from before log drivers existed: k8s-file. */
  driver: z.enum(LOG_DRIVERS).optional(),
  /** The options as given, the daemon's merged in (Docker's LogConfig.Config). */
  options: z.record(z.string(), z.string()).optional(),
  /** conmon starts `container.log` afresh once it reaches this size; -1 = unbounded (json-file and local: their spool). */
  maxSize: z.number().int(),
});
export type LogConfig = z.infer<typeof logConfigSchema>;

export const containerConfigSchema = z.object({
  /** The image reference as the user gave it (Docker's Config.Image). */
  image: z.string(),
  options: containerOptionsSchema,
  /** `--rm`: remove the container once it exits. */
  autoRemove: z.boolean(),
  stopSignal: z.string().optional(),
  /** Seconds between the stop signal and SIGKILL (Docker's default is 10). */
  stopTimeout: z.number().int().optional(),
  /** Close the container's stdin when the first attached client detaches (`run -i`). */
  stdinOnce: z.boolean(),
  attachStdin: z.boolean(),
  attachStdout: z.boolean(),
  attachStderr: z.boolean(),
  log: logConfigSchema,
  /** Initial terminal size [rows, cols] (HostConfig.ConsoleSize), applied before the process starts. */
  consoleSize: z.tuple([z.number().int(), z.number().int()]).optional(),
  /** Volumes, binds and tmpfs mounts (`-v`, `--mount`, image VOLUMEs), resolved at create. */
  mounts: z.array(containerMountSchema).optional(),
  /** Bridge networks or another container's namespace; absent = options.networkMode (none/host). */
  network: containerNetworkSchema.optional(),
  /** `--restart` (absent: no). */
  restartPolicy: restartPolicySchema.optional(),
  /** The resolved health check (absent: none). */
  healthcheck: healthcheckConfigSchema.optional(),
  /** The OCI runtime it runs with (`--runtime`; absent: runc, as before the choice existed). */
  runtime: z.string().optional(),
  /** `--userns auto`: its own user namespace and host id range (absent: the host's). */
  userns: usernsConfigSchema.optional(),
  /** `--volumes-from` as given (`name[:mode]`); the mounts it names were copied into `mounts` at create. */
  volumesFrom: z.array(z.string()).optional(),
  /** `--link`: kept for containers on the default bridge (or none); dropped on user networks, as dockerd. */
  links: z.array(containerLinkSchema).optional(),
  /** HostConfig.VolumeDriver as given (`local` or empty: berth has only the local driver). */
  volumeDriver: z.string().optional(),
  /** HostConfig.Isolation as given (`default` or empty on Linux). */
  isolation: z.string().optional(),
});
export type ContainerConfig = z.infer<typeof containerConfigSchema>;

export const CONTAINER_STATUSES = ['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead'] as const;
export type ContainerStatus = (typeof CONTAINER_STATUSES)[number];

/** Docker's "never" timestamp. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

export const containerStateSchema = z.object({
  status: z.enum(CONTAINER_STATUSES),
  /** Host pid of the container's init while it runs; 0 otherwise. */
  pid: z.number().int(),
  /** Host pid of the container's conmon while it runs; 0 otherwise. */
  conmonPid: z.number().int(),
  /** conmon's attach-socket id of the current run. */
  attachId: z.string(),
  exitCode: z.number().int(),
  oomKilled: z.boolean(),
  /** Why the last start failed or how the container was lost; empty when none. */
  error: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  restartCount: z.number().int(),
  /** Stopped or killed by a user since its last start: the restart policy stays off. */
  manuallyStopped: z.boolean().optional(),
  /**
   * `rm` asked for, kept until the record goes (engine/remove-container.ts): the next berthd
   * finishes a removal a crash cut short; `volumes`: its anonymous volumes go too.
   */
  removal: z.object({ volumes: z.boolean() }).optional(),
});
export type ContainerState = z.infer<typeof containerStateSchema>;

export function initialState(): ContainerState {
  return {
    status: 'created', pid: 0, conmonPid: 0, attachId: '', exitCode: 0, oomKilled: false, error: '',
    startedAt: ZERO_TIME, finishedAt: ZERO_TIME, restartCount: 0,
  };
}

export interface ContainerRecord {
  id: string;
  name: string;
  imageId: string;
  createdAt: string;
  config: ContainerConfig;
  state: ContainerState;
}

/** Whether the container's process may be alive (what `docker ps` lists without `-a`). */
export function isActive(state: ContainerState): boolean {
  return state.status === 'running' || state.status === 'paused' || state.status === 'restarting';
}
