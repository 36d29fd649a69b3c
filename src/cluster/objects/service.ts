import { z } from 'zod';
import { ENDPOINT_MODES, networkAddressSchema, serviceNetworkSchema } from './network.js';
import { labelsSchema, objectMetaSchema, resourceAmountsSchema } from './object-meta.js';
import { publishedPortSchema } from './published-port.js';
import { fileReferenceSchema } from './secret.js';

/**
 * A service: the desired state the cluster keeps true (Swarm's Service). Its `taskTemplate` is
 * copied into every task made from it, so a task keeps the spec it was made with even after the
 * service changes. Validate untrusted specs with `parseServiceSpec` (service-spec-validation.ts),
 * not with these schemas alone: it also checks constraints, preferences and resources.
 */

const nonNegativeInt = z.number().int().nonnegative();

export const mountSchema = z.object({
  type: z.enum(['bind', 'volume', 'tmpfs']),
  /** Host path (bind) or volume name (volume); absent for tmpfs. */
  source: z.string().min(1).optional(),
  target: z.string().regex(/^\//, { error: 'a mount target is an absolute path' }),
  readOnly: z.boolean().default(false),
});
export type ServiceMount = z.infer<typeof mountSchema>;

/**
 * The task container's health check (Docker's Healthcheck; durations in nanoseconds, 0 = the
 * image's or Docker's default). A task with one counts as running only once healthy, and an
 * unhealthy task ends (failed) and is replaced.
 */
export const healthcheckSchema = z.object({
  /** `["CMD", …]`, `["CMD-SHELL", line]`, or `["NONE"]` to turn off the image's. */
  test: z.array(z.string()).min(1, { error: 'a health check test is required' }),
  intervalNs: nonNegativeInt.default(0),
  timeoutNs: nonNegativeInt.default(0),
  startPeriodNs: nonNegativeInt.default(0),
  retries: nonNegativeInt.default(0),
});
export type Healthcheck = z.infer<typeof healthcheckSchema>;

export const containerSpecSchema = z.object({
  image: z.string().min(1, { error: 'an image is required' }),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  env: z.array(z.string().regex(/^[^=]+=/, { error: 'an env entry is KEY=VALUE' })).default([]),
  labels: labelsSchema.default({}),
  mounts: z.array(mountSchema).default([]),
  healthcheck: healthcheckSchema.optional(),
  /** Secrets the task gets as files (target: a file name under /run/secrets, or an absolute path); absent: none. */
  secrets: z.array(fileReferenceSchema).optional(),
  /** Configs the task gets as files (target: a path; relative to `/`); absent: none. */
  configs: z.array(fileReferenceSchema).optional(),
});
export type ContainerSpec = z.infer<typeof containerSpecSchema>;

export const resourceRequirementsSchema = z.object({
  /** The most a task may use (enforced by its node's engine); 0 is no limit. */
  limits: resourceAmountsSchema.extend({ pids: nonNegativeInt.default(0) }).default({ nanoCpus: 0, memoryBytes: 0, pids: 0 }),
  /** What the scheduler sets aside on the task's node: a node takes a task only if this fits. */
  reservations: resourceAmountsSchema.default({ nanoCpus: 0, memoryBytes: 0 }),
});
export type ResourceRequirements = z.infer<typeof resourceRequirementsSchema>;

export const RESTART_CONDITIONS = ['none', 'on-failure', 'any'] as const;
export type RestartCondition = (typeof RESTART_CONDITIONS)[number];

export const restartPolicySchema = z.object({
  condition: z.enum(RESTART_CONDITIONS).default('any'),
  /** Wait between a task's end and its successor's start, in nanoseconds (Swarm's default 5 s). */
  delayNs: nonNegativeInt.default(5_000_000_000),
  /** Restarts of one slot before giving up; 0 is no limit. */
  maxAttempts: nonNegativeInt.default(0),
  /** The window `maxAttempts` counts in, in nanoseconds; 0 counts every restart. */
  windowNs: nonNegativeInt.default(0),
});
export type RestartPolicy = z.infer<typeof restartPolicySchema>;

/** Spread the service's tasks evenly over the values of a node attribute (e.g. node.labels.zone). */
export const placementPreferenceSchema = z.object({ spread: z.string().min(1) });
export type PlacementPreference = z.infer<typeof placementPreferenceSchema>;

export const placementSchema = z.object({
  /** Swarm constraint expressions; all must hold (constraints.ts). */
  constraints: z.array(z.string()).default([]),
  /** In order of precedence: the first is honoured before the second. */
  preferences: z.array(placementPreferenceSchema).default([]),
  /** Most tasks of this service on one node; 0 is no limit. */
  maxReplicas: nonNegativeInt.default(0),
});
export type Placement = z.infer<typeof placementSchema>;

export const taskTemplateSchema = z.object({
  containerSpec: containerSpecSchema,
  resources: resourceRequirementsSchema.default({ limits: { nanoCpus: 0, memoryBytes: 0, pids: 0 }, reservations: { nanoCpus: 0, memoryBytes: 0 } }),
  restartPolicy: restartPolicySchema.default({ condition: 'any', delayNs: 5_000_000_000, maxAttempts: 0, windowNs: 0 }),
  placement: placementSchema.default({ constraints: [], preferences: [], maxReplicas: 0 }),
  /** The cluster networks the tasks join, in order (the first is the task's gateway network). */
  networks: z.array(serviceNetworkSchema).default([]),
  /**
   * The service's ports published in `host` mode, which each task's container publishes on its
   * node (the cluster copies them here from the service's ports; they are not the user's to set).
   */
  hostPorts: z.array(publishedPortSchema).default([]),
  /** A counter (Swarm's ForceUpdate): changing it makes every task out of date, so they are all replaced. */
  forceUpdate: nonNegativeInt.default(0),
});
export type TaskTemplate = z.infer<typeof taskTemplateSchema>;

export const UPDATE_STATES = ['updating', 'paused', 'completed', 'rollback_started', 'rollback_paused', 'rollback_completed'] as const;
export type UpdateState = (typeof UPDATE_STATES)[number];

/**
 * Swarm's Service.UpdateStatus: the state of the rolling update, when it started and ended, why;
 * and berth's canary: `holding` while a paused update waits for `service promote`, `promoted`
 * once it may go past its canary tasks.
 */
export const updateStatusSchema = z.object({
  state: z.enum(UPDATE_STATES),
  startedAt: z.iso.datetime().optional(),
  completedAt: z.iso.datetime().optional(),
  message: z.string().default(''),
  canary: z.enum(['holding', 'promoted']).optional(),
});
export type UpdateStatus = z.infer<typeof updateStatusSchema>;

const positiveInt = z.number().int().positive();

/**
 * replicated: `replicas` tasks in slots 1…replicas; global: one task on every eligible node.
 * The job modes run tasks to completion instead (Swarm's jobs): replicated-job until
 * `totalCompletions` tasks exited 0, at most `maxConcurrent` at once; global-job once on every
 * node eligible when the run started. A job runs again when its spec changes, or on its schedule.
 */
export const serviceModeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('replicated'), replicas: nonNegativeInt }),
  z.object({ kind: z.literal('global') }),
  z.object({ kind: z.literal('replicated-job'), maxConcurrent: positiveInt.max(10_000).default(1), totalCompletions: positiveInt.max(10_000).default(1) }),
  z.object({ kind: z.literal('global-job') }),
]);
export type ServiceMode = z.infer<typeof serviceModeSchema>;

/** Whether the mode runs tasks to completion (a job) rather than keeping them running. */
export function isJobMode(mode: ServiceMode): boolean {
  return mode.kind === 'replicated-job' || mode.kind === 'global-job';
}

/**
 * What a scheduled run does while the job's previous run still has tasks going (Kubernetes'
 * CronJob policies): `forbid` skips the run, `replace` stops the previous run's tasks, `allow`
 * lets both go on.
 */
export const JOB_CONCURRENCY_POLICIES = ['forbid', 'replace', 'allow'] as const;
export type JobConcurrencyPolicy = (typeof JOB_CONCURRENCY_POLICIES)[number];

/**
 * A job run on a cron schedule: 5 fields (minute hour day month weekday), or 6 with seconds
 * first, in UTC; `historyLimit` earlier runs keep their tasks (and their containers' logs).
 */
export const jobScheduleSchema = z.object({
  cron: z.string().min(1, { error: 'a cron schedule is required' }).max(200),
  concurrency: z.enum(JOB_CONCURRENCY_POLICIES).default('forbid'),
  historyLimit: nonNegativeInt.max(100).default(3),
});
export type JobSchedule = z.infer<typeof jobScheduleSchema>;

/**
 * A job's runs (Swarm's JobStatus): `iteration` counts them (0: a scheduled job that has not run
 * yet) and every task is made for one; `lastExecution` is when the current run started;
 * `lastSchedule` is when the schedule last fired (run or skipped), the time the next is counted from.
 */
export const jobStatusSchema = z.object({
  iteration: nonNegativeInt,
  lastExecution: z.iso.datetime().optional(),
  lastSchedule: z.iso.datetime().optional(),
  /** Why the last scheduled run did not start, when it did not. */
  message: z.string().default(''),
});
export type JobStatus = z.infer<typeof jobStatusSchema>;

/** Swarm's service names: a letter or digit, then letters, digits, `_`, `.`, `-`; at most 63. */
export const serviceNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, {
  error: 'a service name is 1–63 letters, digits, "_", "." or "-", starting with a letter or digit',
});

export const UPDATE_FAILURE_ACTIONS = ['pause', 'continue', 'rollback'] as const;
export type UpdateFailureAction = (typeof UPDATE_FAILURE_ACTIONS)[number];
export const UPDATE_ORDERS = ['stop-first', 'start-first'] as const;
export type UpdateOrder = (typeof UPDATE_ORDERS)[number];

/**
 * How a spec change rolls over the tasks (Swarm's UpdateConfig; the same shape drives a rollback):
 * `parallelism` slots at once (0 = all), `delayNs` between batches, each new task watched for
 * `monitorNs` once running; more failed new tasks than `maxFailureRatio` of the slots is a failed
 * update, and `failureAction` says what then. `order`: stop the old task first, or start the new
 * one first and stop the old once the new runs (healthy, when it has a health check).
 */
/**
 * berth's canary: an update first replaces only `count` tasks (or `percent` of them, at least one),
 * watches them for the monitor window, then holds (paused) until `service promote`, or goes on by
 * itself with `autoPromote`.
 */
export const canarySchema = z.object({
  count: positiveInt.max(10_000).optional(),
  percent: positiveInt.max(100).optional(),
  autoPromote: z.boolean().default(false),
});
export type Canary = z.infer<typeof canarySchema>;

export const updateConfigSchema = z.object({
  parallelism: nonNegativeInt.default(1),
  delayNs: nonNegativeInt.default(0),
  failureAction: z.enum(UPDATE_FAILURE_ACTIONS).default('pause'),
  monitorNs: nonNegativeInt.default(5_000_000_000),
  maxFailureRatio: z.number().min(0).max(1).default(0),
  order: z.enum(UPDATE_ORDERS).default('stop-first'),
  /** berth's canary (updates only: a rollback's config ignores it). */
  canary: canarySchema.optional(),
});
export type UpdateConfig = z.infer<typeof updateConfigSchema>;
export const DEFAULT_UPDATE_CONFIG: UpdateConfig = { parallelism: 1, delayNs: 0, failureAction: 'pause', monitorNs: 5_000_000_000, maxFailureRatio: 0, order: 'stop-first' };

/**
 * Autoscaling of a replicated service (berth's; Kubernetes' HorizontalPodAutoscaler): its replicas
 * move between `minReplicas` and `maxReplicas` so that the average use of its running tasks stays
 * near the targets — CPU in percent of a task's CPU reservation (else its limit, else one CPU),
 * memory in percent of its memory limit (else its reservation). Scale-up acts at once;
 * scale-down takes the highest replica count recommended over the last `scaleDownDelayNs`, so
 * that a dip does not make it flap. Validated by `parseServiceSpec` (a target, min ≤ max, a
 * memory amount for a memory target).
 */
export const autoscaleSchema = z.object({
  minReplicas: positiveInt.max(10_000).default(1),
  maxReplicas: positiveInt.max(10_000),
  cpuPercent: positiveInt.max(100_000).optional(),
  memoryPercent: positiveInt.max(100).optional(),
  scaleDownDelayNs: nonNegativeInt.default(300_000_000_000),
});
export type Autoscale = z.infer<typeof autoscaleSchema>;

/** The autoscaler's last decision, with the numbers behind it. */
export const autoscaleStatusSchema = z.object({
  message: z.string(),
  at: z.iso.datetime(),
});
export type AutoscaleStatus = z.infer<typeof autoscaleStatusSchema>;

export const serviceSpecSchema = z.object({
  name: serviceNameSchema,
  labels: labelsSchema.default({}),
  taskTemplate: taskTemplateSchema,
  mode: serviceModeSchema.default({ kind: 'replicated', replicas: 1 }),
  /** How clients on its networks find it: a virtual IP (`vip`) or DNS round robin over its tasks (`dnsrr`). */
  endpointMode: z.enum(ENDPOINT_MODES).default('vip'),
  /** How a change of the task template rolls over the tasks. */
  updateConfig: updateConfigSchema.default(DEFAULT_UPDATE_CONFIG),
  /** How a rollback rolls the tasks back (the restored spec's own). */
  rollbackConfig: updateConfigSchema.default(DEFAULT_UPDATE_CONFIG),
  /** The ports it publishes, as given (published-port.ts). */
  ports: z.array(publishedPortSchema).max(1024).default([]),
  /** A job mode's schedule: the job runs at these times instead of once when made. */
  schedule: jobScheduleSchema.optional(),
  /** A replicated service's autoscaling: the leader sets its replicas. */
  autoscale: autoscaleSchema.optional(),
  /**
   * berth's disruption limit (Kubernetes' PodDisruptionBudget): a drain or a stop-first rolling
   * update never leaves fewer running tasks than this; 0, none. With it, a drained node's task
   * stops only once its successor runs elsewhere.
   */
  minAvailable: nonNegativeInt.max(10_000).default(0),
});
export type ServiceSpec = z.infer<typeof serviceSpecSchema>;
/** A spec as a client writes it: defaults may be left out. */
export type ServiceSpecInput = z.input<typeof serviceSpecSchema>;

export const serviceSchema = objectMetaSchema.extend({
  spec: serviceSpecSchema,
  /** Endpoint mode `vip`: the service's virtual IP on each of its networks (the leader allocates them). */
  virtualIps: z.array(networkAddressSchema).default([]),
  /** The spec before the last update (Swarm's PreviousSpec): what a rollback restores. */
  previousSpec: serviceSpecSchema.optional(),
  /** Where the last rolling update (or rollback) of the tasks stands; absent until one starts. */
  updateStatus: updateStatusSchema.optional(),
  /** The ports it publishes, ingress ones each with its published port (chosen by the cluster where the spec left it out). */
  endpointPorts: z.array(publishedPortSchema).default([]),
  /** A job mode's runs; absent for the other modes. */
  jobStatus: jobStatusSchema.optional(),
  /** The autoscaler's last change of the replicas, and why. */
  autoscaleStatus: autoscaleStatusSchema.optional(),
});
export type Service = z.infer<typeof serviceSchema>;
