/**
 * A compose project as a stack on a cluster, as `docker stack deploy` makes one (the docker CLI's
 * convert package): each service a cluster service `<stack>_<service>` with its `deploy:` section,
 * the networks the services use as overlay networks `<stack>_<name>` (`<stack>_default` for
 * services without `networks:`), secrets and configs `<stack>_<name>`, every object labelled
 * `com.docker.stack.namespace=<stack>` and each service `com.docker.stack.image=<image>`, so that
 * berth and the docker CLI each see the other's stacks. Pure: `planStack` converts, and
 * `specChanges` tells whether a service's spec as berthd shows it already is what the file asks.
 * Keys a stack cannot apply are ignored with docker's warnings ("Ignoring unsupported options:
 * build"); settings the cluster does not carry go to berthd, which refuses them naming the field.
 */
import { errors } from '../base/errors.js';
import { familiarName, formatReference, parseReference } from '../oci/reference.js';
import type { NetworkCreateConfig } from '../wire/networks.js';
import type { SwarmFileReference } from '../wire/swarm-secrets.js';
import type { SwarmServiceSpec, SwarmServiceSpecInput } from '../wire/swarm.js';
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
type TaskSpecInput = NonNullable<SwarmServiceSpecInput['TaskTemplate']>;
type PortInput = NonNullable<NonNullable<SwarmServiceSpecInput['EndpointSpec']>['Ports']>[number];
type UpdateConfigInput = NonNullable<SwarmServiceSpecInput['UpdateConfig']>;
type MountInput = NonNullable<ContainerSpecInput['Mounts']>[number] & { TmpfsOptions?: { SizeBytes: number } };

/** A secret or config of the stack that the stack makes (external ones are only referred to). */
export interface StackFileObject {
  /** Its key in the file. */
  key: string;
  /** Its name on the cluster: `<stack>_<key>`, or the file's `name:`. */
  name: string;
  labels: Record<string, string>;
  /** Absolute path of its data, or the data itself. */
  file?: string;
  content?: string;
}

export interface StackNetwork {
  name: string;
  create: NetworkCreateConfig;
}

export interface StackService {
  /** Its key in the file. */
  key: string;
  /** `<stack>_<key>`. */
  name: string;
  /**
   * The spec to send. Networks are named (`<stack>_front`), and secrets and configs by name only:
   * the deploy puts in their ids once they exist.
   */
  spec: SwarmServiceSpecInput;
  /** Whether the file gives the replicas (else an existing service keeps its own, as docker's deploy does). */
  replicasGiven: boolean;
}

export interface StackPlan {
  name: string;
  /** Networks the services use that the stack makes, by name. */
  networks: StackNetwork[];
  /** External networks the services use: they must exist. */
  externalNetworks: string[];
  secrets: StackFileObject[];
  configs: StackFileObject[];
  /** External secrets and configs the services use: they must exist. */
  externalSecrets: string[];
  externalConfigs: string[];
  services: StackService[];
  /** docker's warnings for keys a stack ignores. */
  warnings: string[];
}

/** A stack's name: what a project name may be (lowercase letters, digits, `-` and `_`), as objects are named after it. */
export function checkStackName(name: string): void {
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(name)) {
    throw errors.invalidArgument('invalid-stack-name', `invalid stack name "${name}": use lowercase letters, digits, '-' and '_', starting with a letter or digit`);
  }
}

/** Service keys docker's stack deploy ignores (its UnsupportedProperties), and berth's own: depends_on, tmpfs, v2 resource keys, pull_policy. */
const UNSUPPORTED = [
  'build', 'cgroup_parent', 'cgroupns_mode', 'cpus', 'depends_on', 'devices', 'domainname', 'external_links', 'ipc', 'links', 'mac_address',
  'mem_limit', 'network_mode', 'pid', 'pids_limit', 'privileged', 'pull_policy', 'restart', 'security_opt', 'shm_size', 'tmpfs', 'userns_mode',
];
/** Keys docker calls deprecated, with its words. */
const DEPRECATED: Readonly<Record<string, string>> = {
  container_name: 'Setting the container name is not supported.',
  expose: 'Exposing ports is unnecessary - services on the same network can access each other\'s containers on any port.',
};
/** Keys the conversion reads (or the loader already applied). */
const CONVERTED = new Set([
  'name', 'image', 'command', 'entrypoint', 'environment', 'labels', 'ports', 'volumes', 'networks', 'healthcheck', 'deploy', 'secrets', 'configs',
  'hostname', 'extra_hosts', 'dns', 'dns_search', 'dns_opt', 'working_dir', 'user', 'group_add', 'stop_grace_period', 'stop_signal', 'tty', 'stdin_open',
  'read_only', 'init', 'sysctls', 'cap_add', 'cap_drop', 'ulimits', 'logging', 'isolation', 'scale', 'profiles', 'env_file', 'extends',
]);

const isEmpty = (value: unknown): boolean => value === undefined || value === null || value === false || value === ''
  || (Array.isArray(value) && value.length === 0) || (typeof value === 'object' && Object.keys(value).length === 0);

/** docker's two warnings for the keys of `services` that a stack ignores (none when there are none). */
export function stackWarnings(services: readonly ServiceConfig[]): string[] {
  const unsupported = new Set<string>();
  const deprecated = new Set<string>();
  for (const service of services) {
    for (const [key, value] of Object.entries(service)) {
      if (key.startsWith('x-') || isEmpty(value)) continue;
      if (key in DEPRECATED) deprecated.add(key);
      else if (UNSUPPORTED.includes(key) || !CONVERTED.has(key)) unsupported.add(key);
    }
  }
  const warnings: string[] = [];
  if (unsupported.size > 0) warnings.push(`Ignoring unsupported options: ${[...unsupported].sort().join(', ')}`);
  if (deprecated.size > 0) warnings.push(`Ignoring deprecated options:\n\n${[...deprecated].sort().map((key) => `${key}: ${DEPRECATED[key] ?? ''}`).join('\n')}`);
  return warnings;
}

const withNamespace = (stack: string, labels: Record<string, string>): Record<string, string> => ({ ...labels, [STACK_LABELS.namespace]: stack });

const stringLabels = (value: unknown): Record<string, string> => Object.fromEntries(Object.entries(listOrDict(value)).map(([k, v]) => [k, v ?? '']));

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

function resources(service: ServiceConfig): TaskSpecInput['Resources'] {
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
function restartPolicy(service: ServiceConfig): TaskSpecInput['RestartPolicy'] {
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

function updateConfig(given: UpdateSettings | undefined, where: FieldPath): UpdateConfigInput | undefined {
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

function mode(service: ServiceConfig): { mode: SwarmServiceSpecInput['Mode']; replicasGiven: boolean } {
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
export const fileObjectName = (ref: SwarmFileReference): string => ref.SecretName ?? ref.ConfigName ?? '';

const objectName = (stack: string, key: string, object: { name: string; external: boolean }): string =>
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

function containerSpec(project: ComposeProject, service: ServiceConfig, stack: string, image: string): ContainerSpecInput {
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
function networks(project: ComposeProject, service: ServiceConfig): NonNullable<TaskSpecInput['Networks']> {
  return Object.entries(service.networks).map(([key, net]) => ({
    Target: project.networks[key]?.name ?? key,
    Aliases: [...(net.aliases ?? []), service.name],
  })).sort((a, b) => a.Target.localeCompare(b.Target));
}

function ports(service: ServiceConfig): PortInput[] {
  return service.ports.map((port, index) => {
    const published = port.published === undefined || port.published === '' ? undefined : Number(port.published);
    if (published !== undefined && !(Number.isInteger(published) && published >= 0 && published <= 65535)) {
      throw errors.invalidArgument('compose-port', `services.${service.name}.ports[${index}]: published port "${port.published ?? ''}" is not a port number`);
    }
    return { Protocol: port.protocol, TargetPort: port.target, ...(published === undefined ? {} : { PublishedPort: published }), PublishMode: port.mode ?? 'ingress' };
  }).sort((a, b) => (a.PublishedPort ?? 0) - (b.PublishedPort ?? 0));
}

/** The spec of one service of the stack (its networks, secrets and configs by name). */
export function stackServiceSpec(project: ComposeProject, service: ServiceConfig, stack: string): StackService {
  if (service.image === undefined || service.image === '') {
    throw errors.invalidArgument('compose-stack-image', `services.${service.name}: a stack's service needs an image (build: is ignored; build and push the image first)`);
  }
  const name = `${stack}_${service.name}`;
  const deploy = service.deploy ?? {};
  const { mode: serviceMode, replicasGiven } = mode(service);
  const placement = deploy.placement;
  const template: TaskSpecInput = {
    ContainerSpec: containerSpec(project, service, stack, taggedImage(service.image)),
    ...(placement === undefined ? {} : {
      Placement: {
        ...(placement.constraints === undefined ? {} : { Constraints: placement.constraints }),
        ...(placement.preferences === undefined ? {} : { Preferences: placement.preferences.map((p) => ({ Spread: { SpreadDescriptor: p.spread ?? '' } })) }),
        ...(placement.max_replicas_per_node === undefined ? {} : { MaxReplicas: placement.max_replicas_per_node }),
      },
    }),
    Networks: networks(project, service),
  };
  const limits = resources(service);
  if (limits !== undefined) template.Resources = limits;
  const restart = restartPolicy(service);
  if (restart !== undefined) template.RestartPolicy = restart;
  const logging = (service as ServiceConfig & { logging?: { driver?: string; options?: Record<string, string> } }).logging;
  if (logging !== undefined) (template as Record<string, unknown>).LogDriver = { Name: logging.driver ?? '', Options: logging.options ?? {} };
  const update = updateConfig(deploy.update_config, ['services', service.name, 'deploy', 'update_config']);
  const rollback = updateConfig(deploy.rollback_config, ['services', service.name, 'deploy', 'rollback_config']);
  const servicePorts = ports(service);
  const spec: SwarmServiceSpecInput = {
    Name: name,
    Labels: { ...withNamespace(stack, stringLabels(deploy.labels)), [STACK_LABELS.image]: service.image },
    TaskTemplate: template,
    Mode: serviceMode,
    EndpointSpec: { ...(deploy.endpoint_mode === undefined ? {} : { Mode: deploy.endpoint_mode.toLowerCase() }), ...(servicePorts.length === 0 ? {} : { Ports: servicePorts }) },
    ...(update === undefined ? {} : { UpdateConfig: update }),
    ...(rollback === undefined ? {} : { RollbackConfig: rollback }),
  };
  return { key: service.name, name, spec, replicasGiven };
}

/** The stack `stack` of a loaded project (whose name the loader was given as `stack`). Throws invalid-argument naming the field. */
export function planStack(project: ComposeProject, stack: string): StackPlan {
  checkStackName(stack);
  const used = new Set(project.services.flatMap((s) => Object.keys(s.networks)));
  const networkPlans: StackNetwork[] = [];
  const externalNetworks: string[] = [];
  for (const key of [...used].sort()) {
    const net = project.networks[key];
    if (net === undefined) continue;
    if (net.external) {
      externalNetworks.push(net.name);
      continue;
    }
    const subnets = (net.ipam?.config ?? []).filter((c) => c.subnet !== undefined);
    networkPlans.push({
      name: net.name,
      create: {
        Name: net.name,
        Driver: net.driver ?? 'overlay',
        Labels: withNamespace(stack, net.labels),
        ...(Object.keys(net.driver_opts).length === 0 ? {} : { Options: net.driver_opts }),
        ...(net.internal ? { Internal: true } : {}),
        ...(net.attachable === true ? { Attachable: true } : {}),
        ...(net.ipam?.driver === undefined && subnets.length === 0 ? {} : {
          IPAM: { ...(net.ipam?.driver === undefined ? {} : { Driver: net.ipam.driver }), Config: subnets.map((c) => ({ Subnet: c.subnet ?? '' })) },
        }),
      },
    });
  }
  const fileObjects = (table: ComposeProject['secrets']): { own: StackFileObject[]; external: string[] } => {
    const own: StackFileObject[] = [];
    const external: string[] = [];
    for (const [key, object] of Object.entries(table).sort(([a], [b]) => a.localeCompare(b))) {
      const name = objectName(stack, key, object);
      if (object.external) {
        external.push(name);
        continue;
      }
      own.push({
        key, name, labels: withNamespace(stack, object.labels ?? {}),
        ...(object.file === undefined ? {} : { file: object.file }), ...(object.content === undefined ? {} : { content: object.content }),
      });
    }
    return { own, external };
  };
  const secrets = fileObjects(project.secrets);
  const configs = fileObjects(project.configs);
  return {
    name: stack,
    networks: networkPlans,
    externalNetworks,
    secrets: secrets.own,
    configs: configs.own,
    externalSecrets: secrets.external,
    externalConfigs: configs.external,
    services: project.services.map((service) => stackServiceSpec(project, service, stack)),
    warnings: stackWarnings(project.services),
  };
}

// ---- Comparing a service's spec with the file's ----

/** The cluster's defaults, which berthd shows and a spec may leave out (Swarm's). */
const SPEC_DEFAULTS: Readonly<Record<string, string | number>> = {
  'TaskTemplate.RestartPolicy.Condition': 'any',
  'TaskTemplate.RestartPolicy.Delay': 5_000_000_000,
  'TaskTemplate.ContainerSpec.Isolation': 'default',
  'TaskTemplate.Runtime': 'container',
  'EndpointSpec.Mode': 'vip',
  ...Object.fromEntries(['UpdateConfig', 'RollbackConfig'].flatMap((config): [string, string | number][] => [
    [`${config}.Parallelism`, 1], [`${config}.FailureAction`, 'pause'], [`${config}.Monitor`, 5_000_000_000], [`${config}.Order`, 'stop-first'],
  ])),
};

/** Fields berthd accepts and does not keep (it never shows them): compared only when it does show them. */
const ACCEPTED_NOT_SHOWN = ['TaskTemplate.ContainerSpec.StopGracePeriod', 'TaskTemplate.ContainerSpec.Init', 'TaskTemplate.ContainerSpec.DNSConfig'];

type Leaf = string | number | boolean;

function flatten(value: unknown, path: string, out: Map<string, Leaf>): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => { flatten(item, `${path}[${index}]`, out); });
  } else if (typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) flatten(item, path === '' ? key : `${path}.${key}`, out);
  } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    out.set(path, value);
  }
}

/**
 * A spec's fields as `path → value`: defaults filled in, then empty values (0, '', false) left
 * out; the mode's kind is a field of its own (`Global: {}` has no values).
 */
function fieldsOf(spec: SwarmServiceSpecInput | SwarmServiceSpec): Map<string, Leaf> {
  const fields = new Map<string, Leaf>();
  flatten(spec, '', fields);
  const mode = Object.entries(spec.Mode ?? {}).filter(([, value]) => value !== null && value !== undefined).map(([kind]) => kind);
  if (mode.length > 0) fields.set('Mode', mode.sort().join(','));
  for (const [path, value] of Object.entries(SPEC_DEFAULTS)) if (!fields.has(path)) fields.set(path, value);
  for (const [path, value] of fields) if (value === 0 || value === '' || value === false) fields.delete(path);
  return fields;
}

export interface SpecChanges {
  /** The fields (Docker's paths) whose values differ. */
  fields: string[];
  /** Whether a change is in the task template (or the published ports): the tasks are replaced. */
  rollsTasks: boolean;
}

/**
 * What differs between the spec to send (networks, secrets and configs by id) and the spec berthd
 * shows. Defaults are compared as values, so an unchanged file finds nothing to change. Pure.
 */
export function specChanges(desired: SwarmServiceSpecInput, current: SwarmServiceSpec): SpecChanges {
  const want = fieldsOf(desired);
  const have = fieldsOf(current);
  const shown = (path: string): boolean => [...have.keys()].some((p) => p.startsWith(path));
  const fields = [...new Set([...want.keys(), ...have.keys()])].filter((path) => {
    if (want.get(path) === have.get(path)) return false;
    const unkept = ACCEPTED_NOT_SHOWN.find((prefix) => path.startsWith(prefix));
    return unkept === undefined || shown(unkept);
  }).sort();
  return { fields, rollsTasks: fields.some((path) => path.startsWith('TaskTemplate.') || path.startsWith('EndpointSpec.Ports')) };
}
