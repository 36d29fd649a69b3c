/**
 * Swarm mode on the wire: the bodies of `/swarm/init`, `/swarm/join`, `/swarm/update`,
 * `/nodes/{id}/update`, `/services/create` and `/services/{id}/update` (the schemas berthd
 * validates with: unknown fields ignored, null and absent alike, integers exact), and the Node,
 * Service, Task and Swarm objects berthd answers with (`api/swarm-views.ts`). Field names are
 * Docker's; optional fields are the ones dockerd leaves out when empty (Go's `omitempty`).
 */
import { z } from 'zod';
import { networkAttachmentConfigSchema, type SwarmNetwork } from './swarm-networks.js';
import { configReferenceSchema, secretReferenceSchema, type SwarmFileReference } from './swarm-secrets.js';
import { exactIntegerSchema, integerSchema } from './integers.js';
import { portConfigSchema, type SwarmPortConfig } from './swarm-ports.js';
import { swarmUpdateConfigSchema, type SwarmUpdateConfig, type SwarmUpdateStatus } from './swarm-rolling.js';

const labelsSchema = z.record(z.string(), z.string()).nullish();
const stringsSchema = z.array(z.string()).nullish();

/** An object's version: sent back with an update as `?version=`. */
export interface ObjectVersion {
  Index: number;
}

/** Fields every stored object has (creation and update times are RFC 3339). */
export interface SwarmObjectMeta {
  ID: string;
  Version: ObjectVersion;
  CreatedAt: string;
  UpdatedAt: string;
}

// ---- Nodes ----

/** The body of `POST /nodes/{id}/update` (the whole spec: absent Labels clears them). */
export const swarmNodeSpecSchema = z.object({
  Name: z.string().nullish(),
  Labels: labelsSchema,
  Role: z.enum(['worker', 'manager']),
  Availability: z.enum(['active', 'pause', 'drain']),
});
export type SwarmNodeSpec = z.input<typeof swarmNodeSpecSchema>;

/** The cluster CA a node trusts (TrustRoot: PEM). */
export interface TLSInfo {
  TrustRoot?: string;
  /** The CA's subject (DER, base64). */
  CertIssuerSubject?: string;
  /** The CA's public key (SPKI DER, base64). */
  CertIssuerPublicKey?: string;
}

export interface SwarmNodeDescription {
  Hostname?: string;
  Platform: { Architecture?: string; OS?: string };
  Resources: { NanoCPUs?: number; MemoryBytes?: number };
  Engine: { EngineVersion?: string; Labels?: Record<string, string>; Plugins?: { Type: string; Name: string }[] };
  TLSInfo: TLSInfo;
}

export interface ManagerStatus {
  Leader?: boolean;
  Reachability?: 'reachable' | 'unreachable' | 'unknown';
  /** `ip:port` of the manager's cluster port. */
  Addr?: string;
}

/** `GET /nodes/{id}`, an entry of `GET /nodes`. */
export interface SwarmNode extends SwarmObjectMeta {
  Spec: { Name?: string; Labels: Record<string, string>; Role?: string; Availability?: string };
  Description: SwarmNodeDescription;
  Status: { State: 'unknown' | 'down' | 'ready' | 'disconnected'; Message?: string; Addr?: string };
  /** Managers only. */
  ManagerStatus?: ManagerStatus;
}

// ---- Services and tasks ----

const mountSchema = z.object({
  Type: z.string().nullish(),
  Source: z.string().nullish(),
  Target: z.string().nullish(),
  ReadOnly: z.boolean().nullish(),
});

const containerSpecSchema = z.object({
  Image: z.string().nullish(),
  Labels: labelsSchema,
  Command: stringsSchema,
  Args: stringsSchema,
  Env: stringsSchema,
  Mounts: z.array(mountSchema).nullish(),
  /** Durations in nanoseconds. */
  Healthcheck: z.object({
    Test: stringsSchema,
    Interval: integerSchema.nullish(),
    Timeout: integerSchema.nullish(),
    StartPeriod: integerSchema.nullish(),
    Retries: integerSchema.nullish(),
  }).nullish(),
  // Not modelled by the cluster: refused when set (api/swarm-service-spec.ts).
  Hostname: z.string().nullish(),
  Dir: z.string().nullish(),
  User: z.string().nullish(),
  Groups: stringsSchema,
  TTY: z.boolean().nullish(),
  OpenStdin: z.boolean().nullish(),
  ReadOnly: z.boolean().nullish(),
  StopSignal: z.string().nullish(),
  Hosts: stringsSchema,
  Secrets: z.array(secretReferenceSchema).nullish(),
  Configs: z.array(configReferenceSchema).nullish(),
  CapabilityAdd: stringsSchema,
  CapabilityDrop: stringsSchema,
  Sysctls: z.record(z.string(), z.string()).nullish(),
  Ulimits: z.array(z.unknown()).nullish(),
  // Accepted and not modelled (the docker CLI sends them): Init, StopGracePeriod, DNSConfig, Isolation, Privileges.
  Init: z.boolean().nullish(),
  StopGracePeriod: exactIntegerSchema.nullish(),
  Isolation: z.string().nullish(),
});

const resourceLimitsSchema = z.object({ NanoCPUs: integerSchema.nullish(), MemoryBytes: integerSchema.nullish(), Pids: integerSchema.nullish() });
const reservationsSchema = z.object({
  NanoCPUs: integerSchema.nullish(),
  MemoryBytes: integerSchema.nullish(),
  GenericResources: z.array(z.unknown()).nullish(),
});

/** The task template of a service (and the spec a task was made with). */
export const swarmTaskSpecSchema = z.object({
  ContainerSpec: containerSpecSchema.nullish(),
  PluginSpec: z.unknown().optional(),
  NetworkAttachmentSpec: z.unknown().optional(),
  Resources: z.object({ Limits: resourceLimitsSchema.nullish(), Reservations: reservationsSchema.nullish() }).nullish(),
  RestartPolicy: z.object({
    Condition: z.string().nullish(),
    /** Nanoseconds. */
    Delay: integerSchema.nullish(),
    MaxAttempts: integerSchema.nullish(),
    /** Nanoseconds. */
    Window: integerSchema.nullish(),
  }).nullish(),
  Placement: z.object({
    Constraints: stringsSchema,
    Preferences: z.array(z.object({ Spread: z.object({ SpreadDescriptor: z.string().nullish() }).nullish() })).nullish(),
    MaxReplicas: integerSchema.nullish(),
    Platforms: z.array(z.unknown()).nullish(),
  }).nullish(),
  Networks: z.array(networkAttachmentConfigSchema).nullish(),
  LogDriver: z.unknown().optional(),
  /** A counter: the docker CLI's `--force` sends it increased. */
  ForceUpdate: exactIntegerSchema.nullish(),
  Runtime: z.string().nullish(),
});

/** The body of `POST /services/create` and `POST /services/{id}/update`. */
export const swarmServiceSpecSchema = z.object({
  Name: z.string().nullish(),
  Labels: labelsSchema,
  TaskTemplate: swarmTaskSpecSchema.nullish(),
  Mode: z.object({
    Replicated: z.object({ Replicas: integerSchema.nullish() }).nullish(),
    Global: z.object({}).nullish(),
    ReplicatedJob: z.object({ MaxConcurrent: integerSchema.nullish(), TotalCompletions: integerSchema.nullish() }).nullish(),
    GlobalJob: z.object({}).nullish(),
  }).nullish(),
  /** How a spec change rolls over the tasks (the docker CLI always sends it). */
  UpdateConfig: swarmUpdateConfigSchema.nullish(),
  /** How a rollback rolls them back. */
  RollbackConfig: swarmUpdateConfigSchema.nullish(),
  /** Deprecated by Docker for TaskTemplate.Networks; still honoured. */
  Networks: z.array(networkAttachmentConfigSchema).nullish(),
  EndpointSpec: z.object({ Mode: z.string().nullish(), Ports: z.array(portConfigSchema).nullish() }).nullish(),
});

/** A task template as berthd shows it (the same shape a client sends, `swarmTaskSpecSchema`). */
export interface SwarmTaskSpec {
  ContainerSpec: {
    Image: string;
    Labels?: Record<string, string>;
    Command?: string[];
    Args?: string[];
    Env?: string[];
    Mounts?: { Type: string; Source?: string; Target: string; ReadOnly?: boolean }[];
    Secrets?: SwarmFileReference[];
    Configs?: SwarmFileReference[];
    Healthcheck?: { Test: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; Retries?: number };
    Isolation?: string;
  };
  Resources: {
    Limits: { NanoCPUs?: number; MemoryBytes?: number; Pids?: number };
    Reservations: { NanoCPUs?: number; MemoryBytes?: number };
  };
  RestartPolicy: { Condition: string; Delay: number; MaxAttempts: number; Window: number };
  Placement: { Constraints?: string[]; Preferences?: { Spread: { SpreadDescriptor: string } }[]; MaxReplicas?: number };
  ForceUpdate: number;
  Runtime: string;
  Networks?: { Target: string; Aliases?: string[] }[];
}

/** A service's mode as berthd shows it: one of Docker's four. */
export type SwarmServiceMode =
  | { Replicated: { Replicas: number } }
  | { Global: Record<string, never> }
  | { ReplicatedJob: { MaxConcurrent: number; TotalCompletions: number } }
  | { GlobalJob: Record<string, never> };

/** A job's runs (Docker's JobStatus); `Message` (berth's) says why the last scheduled run was skipped. */
export interface SwarmJobStatus {
  JobIteration: { Index: number };
  LastExecution?: string;
  Message?: string;
}

/** berth's: the autoscaler's last change of a service's replicas, and why. */
export interface SwarmAutoscaleStatus {
  Message: string;
  Timestamp: string;
}

/** A service's spec as berthd shows it. */
export interface SwarmServiceSpec {
  Name: string;
  Labels: Record<string, string>;
  TaskTemplate: SwarmTaskSpec;
  Mode: SwarmServiceMode;
  EndpointSpec: { Mode: 'vip' | 'dnsrr'; Ports?: SwarmPortConfig[] };
  UpdateConfig?: SwarmUpdateConfig;
  RollbackConfig?: SwarmUpdateConfig;
}
/** A service spec as a client sends it. */
export type SwarmServiceSpecInput = z.input<typeof swarmServiceSpecSchema>;

/** `GET /services/{id}`, an entry of `GET /services` (`?status=true` adds ServiceStatus). */
export interface SwarmService extends SwarmObjectMeta {
  Spec: SwarmServiceSpec;
  Endpoint: { Spec: { Mode: 'vip' | 'dnsrr'; Ports?: SwarmPortConfig[] }; Ports?: SwarmPortConfig[]; VirtualIPs?: { NetworkID: string; Addr: string }[] };
  ServiceStatus?: { RunningTasks: number; DesiredTasks: number; CompletedTasks: number };
  /** The spec before the last update: what a rollback restores. */
  PreviousSpec?: SwarmServiceSpec;
  /** The last rolling update (or rollback), once one started. */
  UpdateStatus?: SwarmUpdateStatus;
  /** A job's runs. */
  JobStatus?: SwarmJobStatus;
  /** berth's: an autoscaled service's last change of replicas. */
  AutoscaleStatus?: SwarmAutoscaleStatus;
}

/** `POST /services/create` (201). */
export interface ServiceCreateResponse {
  ID: string;
  Warnings: string[] | null;
}

/** `POST /services/{id}/update`. */
export interface ServiceUpdateResponse {
  Warnings: string[] | null;
}

export interface SwarmTaskStatus {
  Timestamp: string;
  State: string;
  Message?: string;
  Err?: string;
  ContainerStatus?: { ContainerID?: string; ExitCode?: number };
  PortStatus: Record<string, never>;
}

/** `GET /tasks/{id}`, an entry of `GET /tasks`. Name is empty in the API, as dockerd's. */
export interface SwarmTask extends SwarmObjectMeta {
  Labels: Record<string, string>;
  Spec: SwarmTaskSpec;
  ServiceID: string;
  Slot?: number;
  NodeID?: string;
  Status: SwarmTaskStatus;
  DesiredState: string;
  /** A job's task: the run it belongs to. */
  JobIteration?: { Index: number };
  /** The task's address on each of its networks. */
  NetworksAttachments?: { Network: SwarmNetwork; Addresses: string[] }[];
}


// ---- The swarm ----

/** The swarm's settings (`Spec` of `GET /swarm`, the body of `POST /swarm/update`). */
export interface SwarmSpec {
  Name: string;
  Labels: Record<string, string>;
  Orchestration: { TaskHistoryRetentionLimit?: number };
  Raft: { SnapshotInterval?: number; KeepOldSnapshots?: number; LogEntriesForSlowFollowers?: number; ElectionTick: number; HeartbeatTick: number };
  Dispatcher: { HeartbeatPeriod?: number };
  CAConfig: { NodeCertExpiry?: number; ExternalCAs?: unknown[]; SigningCACert?: string; SigningCAKey?: string; ForceRotate?: number };
  TaskDefaults: { LogDriver?: { Name: string; Options?: Record<string, string> } };
  EncryptionConfig: { AutoLockManagers: boolean };
}

/** The body of `POST /swarm/update`: the fields berthd compares with the swarm's (others ignored). */
export const swarmSpecSchema = z.object({
  Name: z.string().nullish(),
  Labels: labelsSchema,
  Orchestration: z.object({ TaskHistoryRetentionLimit: exactIntegerSchema.nullish() }).nullish(),
  Raft: z.object({
    SnapshotInterval: exactIntegerSchema.nullish(),
    KeepOldSnapshots: exactIntegerSchema.nullish(),
    LogEntriesForSlowFollowers: exactIntegerSchema.nullish(),
    ElectionTick: exactIntegerSchema.nullish(),
    HeartbeatTick: exactIntegerSchema.nullish(),
  }).nullish(),
  Dispatcher: z.object({ HeartbeatPeriod: exactIntegerSchema.nullish() }).nullish(),
  CAConfig: z.object({
    NodeCertExpiry: exactIntegerSchema.nullish(),
    ExternalCAs: z.array(z.unknown()).nullish(),
    SigningCACert: z.string().nullish(),
    SigningCAKey: z.string().nullish(),
    ForceRotate: exactIntegerSchema.nullish(),
  }).nullish(),
  TaskDefaults: z.object({ LogDriver: z.object({ Name: z.string().nullish() }).nullish() }).nullish(),
  EncryptionConfig: z.object({ AutoLockManagers: z.boolean().nullish() }).nullish(),
});
export type SwarmSpecInput = z.input<typeof swarmSpecSchema>;

export interface JoinTokens {
  Worker: string;
  Manager: string;
}

/** The swarm as `/info`'s `Swarm.Cluster` shows it (no join tokens). */
export interface SwarmClusterInfo extends SwarmObjectMeta {
  Spec: SwarmSpec;
  TLSInfo: TLSInfo;
  RootRotationInProgress: boolean;
  DefaultAddrPool: string[];
  SubnetSize: number;
  DataPathPort: number;
}

/** `GET /swarm`. */
export interface SwarmInspect extends SwarmClusterInfo {
  JoinTokens: JoinTokens;
}

/** The body of `POST /swarm/init`. */
export const swarmInitRequestSchema = z.object({
  ListenAddr: z.string().nullish(),
  AdvertiseAddr: z.string().nullish(),
  DataPathAddr: z.string().nullish(),
  DataPathPort: integerSchema.nullish(),
  DefaultAddrPool: stringsSchema,
  SubnetSize: integerSchema.nullish(),
  ForceNewCluster: z.boolean().nullish(),
  Spec: swarmSpecSchema.nullish(),
  AutoLockManagers: z.boolean().nullish(),
  Availability: z.enum(['active', 'pause', 'drain']).nullish(),
  /** berth's own: client URLs of an etcd cluster to keep the cluster's state in, instead of a member berthd supervises. */
  EtcdEndpoints: z.array(z.string().regex(/^https?:\/\/[^\s/]+$/, { error: 'an etcd endpoint is http(s)://host:port' })).nullish(),
});
export type SwarmInitRequest = z.input<typeof swarmInitRequestSchema>;

/** The body of `POST /swarm/join`. */
export const swarmJoinRequestSchema = z.object({
  ListenAddr: z.string().nullish(),
  AdvertiseAddr: z.string().nullish(),
  DataPathAddr: z.string().nullish(),
  RemoteAddrs: z.array(z.string()).nullish(),
  JoinToken: z.string().nullish(),
  Availability: z.enum(['active', 'pause', 'drain']).nullish(),
});
export type SwarmJoinRequest = z.input<typeof swarmJoinRequestSchema>;
