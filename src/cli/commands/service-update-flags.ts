/**
 * `berth service update` flags applied to a service's current spec (Docker's ServiceSpec, as
 * `service inspect` shows it), as the docker CLI does: only what a flag names changes. Pure.
 * Checks numbers, durations and enums and throws invalid-argument (`invalid-flag`) naming the flag.
 * A job's update starts a new run (unless it is scheduled); its mode and schedule flags are
 * service-job-flags.ts's.
 */
import { isDeepStrictEqual } from 'node:util';
import type { SwarmServiceSpec, SwarmServiceSpecInput } from '../../wire/swarm.js';
import { envList } from './create-config.js';
import { lifecycleFields, type ServiceHealthFlags } from './lifecycle-flags.js';
import { badFlag as bad } from './service-flag-values.js';
import { refuseRollingFlags, scheduleLabels, updatedMode, type JobFlags } from './service-job-flags.js';
import { autoscaleLabels, type AutoscaleFlags } from './service-autoscale-flags.js';
import { canaryLabels, type CanaryFlags } from './service-rollout-flags.js';
import { attachedFiles, attachedNetworks, type AttachFlags } from './service-attach-flags.js';
import { isJob } from './service-job-mode.js';
import { servicePort } from './service-flags.js';
import { DEFAULT_ROLLING_CONFIG, rollingConfig, type RollingFlags } from './service-rolling-flags.js';

/** The parsed flags of `service update` (camelCased long names). */
export interface ServiceUpdateFlags extends RollingFlags, ServiceHealthFlags, JobFlags, AutoscaleFlags, CanaryFlags, Partial<AttachFlags> {
  image?: string;
  envAdd: string[];
  envRm: string[];
  publishAdd: string[];
  publishRm: string[];
  replicas?: string;
  force?: boolean;
  rollback?: boolean;
  detach?: boolean;
  wait?: boolean;
}

/** `--env-add` replaces a variable of the same name; `--env-rm NAME` removes it. */
function env(current: readonly string[], flags: ServiceUpdateFlags, environment: Record<string, string | undefined>): string[] {
  const added = envList(flags.envAdd, environment);
  const nameOf = (entry: string): string => entry.split('=')[0] ?? entry;
  const dropped = new Set([...flags.envRm.map(nameOf), ...added.map(nameOf)]);
  return [...current.filter((entry) => !dropped.has(nameOf(entry))), ...added];
}

type Port = NonNullable<NonNullable<SwarmServiceSpec['EndpointSpec']['Ports']>>[number];

/**
 * `--publish-add` adds a port or replaces the one published on the same port and protocol (or,
 * without a published port, with the same target); `--publish-rm TARGET[/PROTOCOL]` removes the
 * ports with that target port, as the docker CLI does.
 */
function ports(current: readonly Port[], flags: ServiceUpdateFlags): Port[] {
  const removed = flags.publishRm.map((value) => {
    const match = /^(\d{1,5})(?:\/(tcp|udp))?$/.exec(value);
    if (match === null) throw bad('--publish-rm', value, 'want TARGET[/tcp|udp], the target port of a published port');
    return { target: Number(match[1]), protocol: match[2] };
  });
  let next = current.filter((p) => !removed.some((r) => r.target === p.TargetPort && (r.protocol === undefined || r.protocol === p.Protocol)));
  for (const value of flags.publishAdd) {
    const added = servicePort(value);
    const protocol = added.Protocol ?? 'tcp';
    const target = Number(added.TargetPort ?? 0);
    const published = added.PublishedPort == null ? undefined : Number(added.PublishedPort);
    next = next.filter((p) => p.Protocol !== protocol || (published === undefined ? p.TargetPort !== target : p.PublishedPort !== published));
    next.push({ Protocol: protocol === 'udp' ? 'udp' : 'tcp', TargetPort: target, ...(published === undefined ? {} : { PublishedPort: published }), PublishMode: added.PublishMode === 'host' ? 'host' : 'ingress' });
  }
  return next;
}

export interface ServiceUpdate {
  spec: SwarmServiceSpecInput;
  /** The task template changed (or --force): the tasks are rolled over. */
  rollsTasks: boolean;
  /** Anything changed at all. */
  changed: boolean;
}

/** The spec `service update` sends for `flags` over `current`. */
export function applyUpdateFlags(current: SwarmServiceSpec, flags: ServiceUpdateFlags, environment: Record<string, string | undefined>, networkIds: ReadonlyMap<string, string> = new Map()): ServiceUpdate {
  const template = structuredClone(current.TaskTemplate);
  const container = template.ContainerSpec;
  const attach: AttachFlags = {
    networkAdd: flags.networkAdd ?? [], networkRm: flags.networkRm ?? [], secretAdd: flags.secretAdd ?? [],
    secretRm: flags.secretRm ?? [], configAdd: flags.configAdd ?? [], configRm: flags.configRm ?? [],
  };
  if (attach.networkAdd.length + attach.networkRm.length > 0) {
    const networks = attachedNetworks(template.Networks ?? [], attach, networkIds);
    if (networks.length > 0) template.Networks = networks;
    else delete template.Networks;
  }
  if (attach.secretAdd.length + attach.secretRm.length > 0) {
    const secrets = attachedFiles('secret', container.Secrets ?? [], attach.secretAdd, attach.secretRm);
    if (secrets.length > 0) container.Secrets = secrets;
    else delete container.Secrets;
  }
  if (attach.configAdd.length + attach.configRm.length > 0) {
    const configs = attachedFiles('config', container.Configs ?? [], attach.configAdd, attach.configRm);
    if (configs.length > 0) container.Configs = configs;
    else delete container.Configs;
  }
  if (flags.image !== undefined) {
    if (flags.image === '') throw bad('--image', '""', 'want an image reference');
    container.Image = flags.image;
  }
  const nextEnv = env(container.Env ?? [], flags, environment);
  if (nextEnv.length > 0) container.Env = nextEnv;
  else delete container.Env;
  const health = lifecycleFields(flags, undefined).Healthcheck;
  if (health !== undefined && health !== null) {
    if (health.Test?.[0] === 'NONE') delete container.Healthcheck;
    else container.Healthcheck = { ...(container.Healthcheck ?? { Test: [] }), ...health, Test: health.Test ?? container.Healthcheck?.Test ?? [] } as NonNullable<typeof container.Healthcheck>;
  }
  if (flags.force === true) template.ForceUpdate += 1;
  const job = isJob(current.Mode);
  refuseRollingFlags(flags, job);
  const nextPorts = ports(current.EndpointSpec.Ports ?? [], flags);
  const spec: SwarmServiceSpec = {
    ...current,
    Labels: canaryLabels(autoscaleLabels(scheduleLabels(current.Labels, job, flags), 'Replicated' in current.Mode, flags), flags),
    EndpointSpec: { Mode: current.EndpointSpec.Mode, ...(nextPorts.length > 0 ? { Ports: nextPorts } : {}) },
    TaskTemplate: template,
    Mode: updatedMode(current.Mode, flags),
    UpdateConfig: rollingConfig(current.UpdateConfig, flags, 'update'),
    RollbackConfig: rollingConfig(current.RollbackConfig, flags, 'rollback'),
  };
  const rollsTasks = !isDeepStrictEqual(template, current.TaskTemplate);
  const changed = rollsTasks || !isDeepStrictEqual(spec, { ...current, UpdateConfig: { ...DEFAULT_ROLLING_CONFIG, ...current.UpdateConfig }, RollbackConfig: { ...DEFAULT_ROLLING_CONFIG, ...current.RollbackConfig } });
  return { spec, rollsTasks, changed };
}
