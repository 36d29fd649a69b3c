/**
 * The parts of a stack service's spec, each from its compose fields as `docker stack deploy`
 * converts them: the container spec (command, environment, mounts, secrets and configs, health
 * check, …), resources, restart policy, mode, update and rollback config, networks and ports.
 * Pure; stack-spec.ts puts them together.
 */
import { errors } from '../base/errors.js';
import { familiarName, formatReference, parseReference } from '../oci/reference.js';
import type { SwarmFileReference } from '../wire/swarm-secrets.js';
import type { SwarmServiceSpecInput } from '../wire/swarm.js';
import type { FieldPath } from './field-error.js';
import type { ComposeProject, HealthcheckConfig, ResourceConfig, ServiceConfig, UpdateSettings } from './project-model.js';
import { shellWords } from './shell-words.js';
import { listOrDict } from './short-syntax.js';
import { durationNs, sizeBytes } from './units.js';

export const STACK_LABELS = {
  namespace: 'com.docker.stack.namespace',
  image: 'com.docker.stack.image',
} as const;

type ContainerSpecInput = NonNullable<NonNullable<SwarmServiceSpecInput['TaskTemplate']>['ContainerSpec']>;
export type TaskSpecInput = NonNullable<SwarmServiceSpecInput['TaskTemplate']>;
type PortInput = NonNullable<NonNullable<SwarmServiceSpecInput['EndpointSpec']>['Ports']>[number];
type UpdateConfigInput = NonNullable<SwarmServiceSpecInput['UpdateConfig']>;
type MountInput = NonNullable<ContainerSpecInput['Mounts']>[number] & { TmpfsOptions?: { SizeBytes: number } };

export const withNamespace = (stack: string, labels: Record<string, string>): Record<string, string> => ({ ...labels, [STACK_LABELS.namespace]: stack });

export const stringLabels = (value: unknown): Record<string, string> => Object.fromEntries(Object.entries(listOrDict(value)).map(([k, v]) => [k, v ?? '']));

/** `busybox` → `busybox:latest` (a name without tag or digest gets `latest`, as the docker CLI's client sends it). */
export function taggedImage(image: string): string {
  return familiarName(formatReference(parseReference(image)));
}

const words = (value: string[] | string | undefined, where: string): string[] | undefined => {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? shellWords(value, where) : value;
};

function nanoCpus(value: number | string | undefined, where: FieldPath): number | undefined {
  if (value === undefined) return undefined;
  const cpus = Number(value);
  if (!Number.isFinite(cpus) || cpus < 0) throw errors.invalidArgument('compose-cpus', `${where.join('.')}: invalid cpus "${String(value)}"`);
  return Math.round(cpus * 1e9);
}

export function resources(service: ServiceConfig): TaskSpecInput['Resources'] {
  const where = ['services', service.name, 'deploy', 'resources'];
  const amounts = (given: ResourceConfig | undefined, kind: string): Record<string, number> => {
    if (given === undefined) return {};
    const cpus = nanoCpus(given.cpus, [...where, kind, 'cpus']);
    return {
      ...(cpus === undefined ? {} : { NanoCPUs: cpus }),
      ...(given.memory === undefined ? {} : { MemoryBytes: sizeBytes(given.memory, [...where, kind, 'memory']) }),
      ...(given.pids === undefined || kind !== 'limits' ? {} : { Pids: given.pids }),
    };
  };
  const limits = amounts(service.deploy?.resources?.limits, 'limits');
  const reservations = amounts(service.deploy?.resources?.reservations, 'reservations');
  if (Object.keys(limits).length === 0 && Object.keys(reservations).length === 0) return undefined;
  return { Limits: limits, Reservations: reservations };
}

const durationOf = (value: string | undefined, where: FieldPath): number | undefined => (value === undefined ? undefined : durationNs(value, where));

/** `deploy.restart_policy`, else `restart:` as docker converts it (`no`: the cluster's default). */
export function restartPolicy(service: ServiceConfig): TaskSpecInput['RestartPolicy'] {
  const where = ['services', service.name, 'deploy', 'restart_policy'];
  const given = service.deploy?.restart_policy;
  if (given !== undefined) {
    const delay = durationOf(given.delay, [...where, 'delay']);
    const window = durationOf(given.window, [...where, 'window']);
    return {
      ...(given.condition === undefined ? {} : { Condition: given.condition }),
      ...(delay === undefined ? {} : { Delay: delay }),
      ...(given.max_attempts === undefined ? {} : { MaxAttempts: given.max_attempts }),
      ...(window === undefined ? {} : { Window: window }),
    };
  }
  const restart = service.restart;
  if (restart === undefined || restart === 'no') return undefined;
  if (restart === 'always' || restart === 'unless-stopped') return { Condition: 'any' };
  const onFailure = /^on-failure(?::(\d+))?$/.exec(restart);
  if (onFailure === null) throw errors.invalidArgument('compose-restart', `services.${service.name}.restart: invalid restart policy "${restart}"`);
  return { Condition: 'on-failure', MaxAttempts: Number(onFailure[1] ?? '0') };
}

export function updateConfig(given: UpdateSettings | undefined, where: FieldPath): UpdateConfigInput | undefined {
  if (given === undefined) return undefined;
  const delay = durationOf(given.delay, [...where, 'delay']);
  const monitor = durationOf(given.monitor, [...where, 'monitor']);
  return {
    Parallelism: given.parallelism ?? 1,
    ...(delay === undefined ? {} : { Delay: delay }),
    ...(given.failure_action === undefined ? {} : { FailureAction: given.failure_action }),
    ...(monitor === undefined ? {} : { Monitor: monitor }),
    ...(given.max_failure_ratio === undefined ? {} : { MaxFailureRatio: given.max_failure_ratio }),
    ...(given.order === undefined ? {} : { Order: given.order }),
  };
}

export function mode(service: ServiceConfig): { mode: SwarmServiceSpecInput['Mode']; replicasGiven: boolean } {
  const replicas = service.deploy?.replicas ?? service.scale;
  const kind = service.deploy?.mode ?? 'replicated';
  const noReplicas = (): void => {
    if (replicas !== undefined) throw errors.invalidArgument('compose-deploy-mode', `services.${service.name}.deploy.replicas: replicas can only be used with replicated or replicated-job mode`);
  };
  switch (kind) {
    case 'replicated':
      return { mode: { Replicated: { Replicas: replicas ?? 1 } }, replicasGiven: replicas !== undefined };
    case 'replicated-job':
      return { mode: { ReplicatedJob: { MaxConcurrent: replicas ?? 1, TotalCompletions: replicas ?? 1 } }, replicasGiven: true };
    case 'global':
      noReplicas();
      return { mode: { Global: {} }, replicasGiven: true };
    case 'global-job':
      noReplicas();
      return { mode: { GlobalJob: {} }, replicasGiven: true };
    default:
      throw errors.invalidArgument('compose-deploy-mode', `services.${service.name}.deploy.mode: unknown mode "${kind}" (replicated, global, replicated-job, global-job)`);
  }
}

function healthcheck(check: HealthcheckConfig | undefined, where: FieldPath): ContainerSpecInput['Healthcheck'] {
  if (check === undefined) return undefined;
  if (check.disable === true) return { Test: ['NONE'] };
  const test = check.test === undefined ? undefined : typeof check.test === 'string' ? ['CMD-SHELL', check.test] : check.test;
  const interval = durationOf(check.interval, [...where, 'interval']);
  const timeout = durationOf(check.timeout, [...where, 'timeout']);
  const startPeriod = durationOf(check.start_period, [...where, 'start_period']);
  return {
    ...(test === undefined ? {} : { Test: test }),
    ...(interval === undefined ? {} : { Interval: interval }),
    ...(timeout === undefined ? {} : { Timeout: timeout }),
    ...(startPeriod === undefined ? {} : { StartPeriod: startPeriod }),
    ...(check.retries === undefined ? {} : { Retries: check.retries }),
  };
}

function mounts(project: ComposeProject, service: ServiceConfig): MountInput[] {
  return service.volumes.map((v, index): MountInput => {
    const readOnly = v.read_only === true ? { ReadOnly: true } : {};
    if (v.type === 'volume') {
      const source = v.source === undefined ? undefined : project.volumes[v.source]?.name ?? v.source;
      return { Type: 'volume', Target: v.target, ...(source === undefined ? {} : { Source: source }), ...readOnly };
    }
    if (v.type === 'tmpfs') {
      const size = v.tmpfs?.size === undefined ? undefined : sizeBytes(v.tmpfs.size, ['services', service.name, 'volumes', index, 'tmpfs', 'size']);
      return { Type: 'tmpfs', Target: v.target, ...(size === undefined ? {} : { TmpfsOptions: { SizeBytes: size } }) };
    }
    return { Type: 'bind', Source: v.source ?? '', Target: v.target, ...readOnly };
  });
}

/** A file's mode: a number as written (YAML's octal `0o440` included), or an octal string (`"0440"`). */
function fileMode(mode: number | string | undefined, where: string): number {
  if (mode === undefined) return 0o444;
  if (typeof mode === 'number') return mode;
  if (!/^0?[0-7]{1,4}$/.test(mode)) throw errors.invalidArgument('compose-file-mode', `${where}.mode: invalid mode "${mode}" (octal, such as 0440)`);
  return parseInt(mode, 8);
}

/**
 * The service's references to the stack's secrets or configs by name (the deploy adds their ids),
 * sorted by it as docker sends them; a file's name defaults to the key (`/run/secrets/<key>`, a
 * config `/<key>`), owner 0:0, mode 0444.
 */
function fileReferences(project: ComposeProject, service: ServiceConfig, kind: 'secret' | 'config', stack: string): SwarmFileReference[] {
  const table = kind === 'secret' ? project.secrets : project.configs;
  const refs = kind === 'secret' ? service.secrets : service.configs;
  return refs.map((ref, index): SwarmFileReference => {
    const object = table[ref.source];
    const name = object === undefined ? `${stack}_${ref.source}` : objectName(stack, ref.source, object);
    const raw = ref as typeof ref & { uid?: string | number; gid?: string | number; mode?: number | string };
    const file = {
      Name: ref.target ?? ref.source,
      UID: raw.uid === undefined ? '0' : String(raw.uid),
      GID: raw.gid === undefined ? '0' : String(raw.gid),
      Mode: fileMode(raw.mode, `services.${service.name}.${kind}s[${index}]`),
    };
    return kind === 'secret' ? { File: file, SecretName: name } : { File: file, ConfigName: name };
  }).sort((a, b) => fileObjectName(a).localeCompare(fileObjectName(b)));
}

/** The name a reference gives its secret or config. */
const fileObjectName = (ref: SwarmFileReference): string => ref.SecretName ?? ref.ConfigName ?? '';

export const objectName = (stack: string, key: string, object: { name: string; external: boolean }): string =>
  (object.external || object.name !== key ? object.name : `${stack}_${key}`);

/** `host:ip` (or `host=ip`) → `ip host`, as docker writes a task's hosts. */
const hostsEntry = (entry: string): string => {
  const at = entry.search(/[:=]/);
  return at < 0 ? entry : `${entry.slice(at + 1)} ${entry.slice(0, at)}`;
};

function ulimits(value: unknown): { Name: string; Soft: number; Hard: number }[] | undefined {
  if (value === undefined || value === null || typeof value !== 'object') return undefined;
  return Object.entries(value as Record<string, number | { soft: number; hard: number }>).sort(([a], [b]) => a.localeCompare(b))
    .map(([name, limit]) => (typeof limit === 'number' ? { Name: name, Soft: limit, Hard: limit } : { Name: name, Soft: limit.soft, Hard: limit.hard }));
}

export function containerSpec(project: ComposeProject, service: ServiceConfig, stack: string, image: string): ContainerSpecInput {
  const where = `services.${service.name}`;
  const raw = service as ServiceConfig & Record<string, unknown>;
  const str = (key: string): string | undefined => (typeof raw[key] === 'string' ? raw[key] : undefined);
  const list = (key: string): string[] => (Array.isArray(raw[key]) ? (raw[key] as unknown[]).map(String) : typeof raw[key] === 'string' ? [raw[key]] : []);
  const command = words(service.entrypoint, `${where}.entrypoint`);
  const args = words(service.command, `${where}.command`);
  const stopGrace = durationOf(service.stop_grace_period, ['services', service.name, 'stop_grace_period']);
  const check = healthcheck(service.healthcheck, ['services', service.name, 'healthcheck']);
  const secrets = fileReferences(project, service, 'secret', stack);
  const configs = fileReferences(project, service, 'config', stack);
  const dns = { Nameservers: service.dns, Search: list('dns_search'), Options: list('dns_opt') };
  const limits = ulimits(raw.ulimits);
  const spec: ContainerSpecInput & Record<string, unknown> = {
    Image: image,
    Labels: withNamespace(stack, service.labels),
    ...(command === undefined ? {} : { Command: command }),
    ...(args === undefined ? {} : { Args: args }),
    Env: Object.entries(service.environment).map(([k, v]) => `${k}=${v}`).sort(),
    ...(service.hostname === undefined ? {} : { Hostname: service.hostname }),
    ...(service.working_dir === undefined ? {} : { Dir: service.working_dir }),
    ...(service.user === undefined ? {} : { User: service.user }),
    ...(list('group_add').length === 0 ? {} : { Groups: list('group_add') }),
    ...(service.extra_hosts.length === 0 ? {} : { Hosts: service.extra_hosts.map(hostsEntry) }),
    ...(service.volumes.length === 0 ? {} : { Mounts: mounts(project, service) }),
    ...(check === undefined ? {} : { Healthcheck: check }),
    ...(stopGrace === undefined ? {} : { StopGracePeriod: stopGrace }),
    ...(service.stop_signal === undefined ? {} : { StopSignal: service.stop_signal }),
    ...(service.tty === true ? { TTY: true } : {}),
    ...(service.stdin_open === true ? { OpenStdin: true } : {}),
    ...(service.read_only === true ? { ReadOnly: true } : {}),
    ...(service.init === undefined ? {} : { Init: service.init }),
    ...(Object.keys(service.sysctls).length === 0 ? {} : { Sysctls: service.sysctls }),
    ...(service.cap_add.length === 0 ? {} : { CapabilityAdd: service.cap_add }),
    ...(service.cap_drop.length === 0 ? {} : { CapabilityDrop: service.cap_drop }),
    ...(limits === undefined ? {} : { Ulimits: limits }),
    ...(secrets.length === 0 ? {} : { Secrets: secrets }),
    ...(configs.length === 0 ? {} : { Configs: configs }),
    ...(str('isolation') === undefined ? {} : { Isolation: str('isolation') }),
  };
  if (dns.Nameservers.length > 0 || dns.Search.length > 0 || dns.Options.length > 0) spec.DNSConfig = dns;
  return spec;
}

/** The service's networks as attachments, named on the cluster, with the service's name as an alias, sorted by name (as docker sends them). */
export function networks(project: ComposeProject, service: ServiceConfig): NonNullable<TaskSpecInput['Networks']> {
  return Object.entries(service.networks).map(([key, net]) => ({
    Target: project.networks[key]?.name ?? key,
    Aliases: [...(net.aliases ?? []), service.name],
  })).sort((a, b) => a.Target.localeCompare(b.Target));
}

export function ports(service: ServiceConfig): PortInput[] {
  return service.ports.map((port, index) => {
    const published = port.published === undefined || port.published === '' ? undefined : Number(port.published);
    if (published !== undefined && !(Number.isInteger(published) && published >= 0 && published <= 65535)) {
      throw errors.invalidArgument('compose-port', `services.${service.name}.ports[${index}]: published port "${port.published ?? ''}" is not a port number`);
    }
    return { Protocol: port.protocol, TargetPort: port.target, ...(published === undefined ? {} : { PublishedPort: published }), PublishMode: port.mode ?? 'ingress' };
  }).sort((a, b) => (a.PublishedPort ?? 0) - (b.PublishedPort ?? 0));
}

