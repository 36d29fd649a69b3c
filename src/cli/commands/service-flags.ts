/**
 * `berth service create` flags → the ServiceSpec of `POST /services/create`, as the docker CLI
 * builds it. Pure (the local environment is passed in, for `-e KEY`). The mode and job flags are
 * read by service-job-flags.ts. Checks what the docker CLI checks (numbers, sizes, durations,
 * enums, `--mount`, `--placement-pref`) and throws
 * invalid-argument (`invalid-flag`) naming the flag; placement constraints are left to berthd,
 * which refuses a malformed one with its own message.
 */
import type { SwarmServiceSpecInput } from '../../wire/swarm.js';
import { envList, keyValues, size } from './create-config.js';
import { parseMountFlag } from './mount-flag.js';
import { badFlag as bad, count, cpus, durationNs } from './service-flag-values.js';
import { hasRollingFlags, rollingConfig, type RollingFlags } from './service-rolling-flags.js';
import { serviceFileReference } from './service-file-flags.js';
import { lifecycleFields, type ServiceHealthFlags } from './lifecycle-flags.js';
import { isJobBody, refuseRollingFlags, scheduleLabels, serviceModeFromFlags, type ModeFlags } from './service-job-flags.js';
import { autoscaleLabels, isAutoscaled, type AutoscaleFlags } from './service-autoscale-flags.js';
import { canaryLabels, type CanaryFlags } from './service-rollout-flags.js';
import { AUTOSCALE_MIN_LABEL } from '../../wire/swarm-labels.js';

/** The parsed flags of `service create` (camelCased long names). */
export interface ServiceCreateFlags extends RollingFlags, ServiceHealthFlags, ModeFlags, AutoscaleFlags, CanaryFlags {
  name?: string;
  constraint: string[];
  placementPref: string[];
  reserveCpu?: string;
  reserveMemory?: string;
  limitCpu?: string;
  limitMemory?: string;
  limitPids?: string;
  restartCondition?: string;
  restartDelay?: string;
  restartMaxAttempts?: string;
  restartWindow?: string;
  env: string[];
  label: string[];
  containerLabel: string[];
  mount: string[];
  network: string[];
  /** `--secret` / `--config` (service-file-flags.ts). */
  secret?: string[];
  config?: string[];
  endpointMode?: string;
  publish: string[];
  detach?: boolean;
  timeout?: string;
}

type TaskTemplate = NonNullable<SwarmServiceSpecInput['TaskTemplate']>;
type ServiceMount = NonNullable<NonNullable<TaskTemplate['ContainerSpec']>['Mounts']>[number];

const RESTART_CONDITIONS = ['none', 'on-failure', 'any'] as const;
type RestartCondition = (typeof RESTART_CONDITIONS)[number];

/** `spread=node.labels.zone` → a placement preference. Only `spread` exists, as in Docker. */
export function placementPreference(value: string): { Spread: { SpreadDescriptor: string } } {
  const at = value.indexOf('=');
  const strategy = at < 0 ? value : value.slice(0, at);
  const descriptor = at < 0 ? '' : value.slice(at + 1);
  if (strategy !== 'spread') throw bad('--placement-pref', value, `unsupported strategy "${strategy}" (only spread=ATTRIBUTE, e.g. spread=node.labels.zone)`);
  if (descriptor === '') throw bad('--placement-pref', value, 'want spread=ATTRIBUTE, e.g. spread=node.labels.zone');
  return { Spread: { SpreadDescriptor: descriptor } };
}

function restartCondition(value: string | undefined): RestartCondition | undefined {
  if (value === undefined) return undefined;
  const found = RESTART_CONDITIONS.find((c) => c === value);
  if (found === undefined) throw bad('--restart-condition', value, 'want none, on-failure or any');
  return found;
}

/** `value` without its undefined fields (so that optional fields are absent, not undefined). */
type Defined<T> = { [K in keyof T]?: Exclude<T[K], undefined> };

/** Drops undefined fields; undefined for an object left empty. */
function compact<T extends object>(value: T): Defined<T> | undefined {
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  return entries.length === 0 ? undefined : (Object.fromEntries(entries) as Defined<T>);
}

function nonEmpty<T>(list: T[]): T[] | undefined {
  return list.length === 0 ? undefined : list;
}

function nonEmptyMap(map: Record<string, string>): Record<string, string> | undefined {
  return Object.keys(map).length === 0 ? undefined : map;
}

/**
 * One `--mount` (docker's CSV syntax): a service's mounts have a type, source, target and
 * readonly only; the options of bind, volume and tmpfs mounts are refused by name.
 */
export function serviceMount(value: string): ServiceMount {
  const mount = parseMountFlag(value);
  const extra = (['BindOptions', 'VolumeOptions', 'TmpfsOptions'] as const).filter((k) => mount[k] !== undefined && mount[k] !== null);
  if (extra.length > 0) throw bad('--mount', value, 'a service mount takes type, source, target and readonly only (no bind-, volume- or tmpfs- options)');
  return {
    Type: mount.Type,
    Target: mount.Target ?? '',
    ...(mount.Source === undefined || mount.Source === null ? {} : { Source: mount.Source }),
    ...(mount.ReadOnly === undefined || mount.ReadOnly === null ? {} : { ReadOnly: mount.ReadOnly }),
  };
}

function taskTemplate(image: string, args: string[], flags: ServiceCreateFlags, environment: Record<string, string | undefined>): TaskTemplate {
  const maxReplicas = count(flags.replicasMaxPerNode, '--replicas-max-per-node');
  const template = {
    ContainerSpec: compact({
      Image: image,
      Args: nonEmpty(args),
      Env: nonEmpty(envList(flags.env, environment)),
      Labels: nonEmptyMap(keyValues(flags.containerLabel, '--container-label')),
      Mounts: nonEmpty(flags.mount.map(serviceMount)),
      Secrets: nonEmpty((flags.secret ?? []).map((value) => serviceFileReference('secret', value))),
      Configs: nonEmpty((flags.config ?? []).map((value) => serviceFileReference('config', value))),
      Healthcheck: lifecycleFields(flags, undefined).Healthcheck,
    }),
    Resources: compact({
      Limits: compact({ NanoCPUs: cpus(flags.limitCpu, '--limit-cpu'), MemoryBytes: size(flags.limitMemory, '--limit-memory'), Pids: count(flags.limitPids, '--limit-pids') }),
      Reservations: compact({ NanoCPUs: cpus(flags.reserveCpu, '--reserve-cpu'), MemoryBytes: size(flags.reserveMemory, '--reserve-memory') }),
    }),
    RestartPolicy: compact({
      Condition: restartCondition(flags.restartCondition),
      Delay: durationNs(flags.restartDelay, '--restart-delay'),
      MaxAttempts: count(flags.restartMaxAttempts, '--restart-max-attempts'),
      Window: durationNs(flags.restartWindow, '--restart-window'),
    }),
    Placement: compact({
      Constraints: nonEmpty(flags.constraint),
      Preferences: nonEmpty(flags.placementPref.map(placementPreference)),
      MaxReplicas: maxReplicas,
    }),
    Networks: nonEmpty(flags.network.map(serviceNetwork)),
  };
  return compact(template) ?? {};
}

/** `--network web` or `--network name=web,alias=www,alias=w2` (Docker's long form). */
export function serviceNetwork(value: string): { Target: string; Aliases?: string[] } {
  if (!value.includes('=')) return { Target: value };
  let target: string | undefined;
  const aliases: string[] = [];
  for (const field of value.split(',')) {
    const [key = '', ...rest] = field.split('=');
    const fieldValue = rest.join('=');
    if ((key === 'name' || key === 'target') && fieldValue !== '') target = fieldValue;
    else if (key === 'alias' && fieldValue !== '') aliases.push(fieldValue);
    else throw bad('--network', value, `unknown or empty field "${field}" (want name=NETWORK[,alias=ALIAS…])`);
  }
  if (target === undefined) throw bad('--network', value, 'a network name is required (name=NETWORK)');
  return { Target: target, ...(aliases.length > 0 ? { Aliases: aliases } : {}) };
}

type PortConfig = NonNullable<NonNullable<SwarmServiceSpecInput['EndpointSpec']>['Ports']>[number];

/** A port number 1–65535 of `-p VALUE`. */
function portNumber(text: string, value: string, what: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= 65535)) throw bad('--publish', value, `${what} "${text}" is not a port from 1 to 65535`);
  return port;
}

/**
 * `-p 8080:80`, `-p 8080:80/udp`, `-p 80` (the cluster picks the published port), or Docker's
 * long form `published=8080,target=80[,protocol=udp][,mode=host]`.
 */
export function servicePort(value: string): PortConfig {
  if (value.includes('=')) {
    const fields = new Map<string, string>();
    for (const field of value.split(',')) {
      const [key = '', ...rest] = field.split('=');
      if (!['published', 'target', 'protocol', 'mode'].includes(key) || rest.join('=') === '') throw bad('--publish', value, `unknown or empty field "${field}" (want published=PORT,target=PORT[,protocol=tcp|udp][,mode=ingress|host])`);
      fields.set(key, rest.join('='));
    }
    const target = fields.get('target');
    if (target === undefined) throw bad('--publish', value, 'a target port is required (target=PORT)');
    const published = fields.get('published');
    return {
      TargetPort: portNumber(target, value, 'target'),
      ...(published === undefined ? {} : { PublishedPort: portNumber(published, value, 'published') }),
      Protocol: fields.get('protocol') ?? 'tcp',
      PublishMode: fields.get('mode') ?? 'ingress',
    };
  }
  const [ports = '', protocol = 'tcp', ...extra] = value.split('/');
  if (extra.length > 0) throw bad('--publish', value, 'want PUBLISHED:TARGET[/PROTOCOL]');
  const parts = ports.split(':');
  if (parts.length > 2) throw bad('--publish', value, 'want PUBLISHED:TARGET[/PROTOCOL] (a host address cannot be given: the port is published on every node)');
  const [first = '', second] = parts;
  return second === undefined
    ? { TargetPort: portNumber(first, value, 'target'), Protocol: protocol, PublishMode: 'ingress' }
    : { PublishedPort: portNumber(first, value, 'published'), TargetPort: portNumber(second, value, 'target'), Protocol: protocol, PublishMode: 'ingress' };
}

/** The spec of a new service running `image` with `args` (empty: the image's command). */
export function serviceSpecFromFlags(image: string, args: string[], flags: ServiceCreateFlags, environment: Record<string, string | undefined>): SwarmServiceSpecInput {
  const mode = serviceModeFromFlags(flags);
  refuseRollingFlags(flags, isJobBody(mode));
  const spec: SwarmServiceSpecInput = { TaskTemplate: taskTemplate(image, args, flags, environment), Mode: mode };
  if (flags.name !== undefined) spec.Name = flags.name;
  const labels = canaryLabels(autoscaleLabels(scheduleLabels(keyValues(flags.label, '--label'), isJobBody(mode), flags), mode.Replicated != null, flags), flags);
  if (isAutoscaled(labels) && flags.replicas === undefined && mode.Replicated != null) {
    // An autoscaled service starts at its fewest replicas.
    mode.Replicated = { Replicas: Number(labels[AUTOSCALE_MIN_LABEL] ?? '1') };
  }
  if (Object.keys(labels).length > 0) spec.Labels = labels;
  if (flags.endpointMode !== undefined) {
    if (flags.endpointMode !== 'vip' && flags.endpointMode !== 'dnsrr') throw bad('--endpoint-mode', flags.endpointMode, 'want vip or dnsrr');
    spec.EndpointSpec = { Mode: flags.endpointMode };
  }
  if (flags.publish.length > 0) spec.EndpointSpec = { ...spec.EndpointSpec, Ports: flags.publish.map(servicePort) };
  if (hasRollingFlags(flags, 'update')) spec.UpdateConfig = rollingConfig(undefined, flags, 'update');
  if (hasRollingFlags(flags, 'rollback')) spec.RollbackConfig = rollingConfig(undefined, flags, 'rollback');
  return spec;
}
