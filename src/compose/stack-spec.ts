/**
 * A compose project as a stack on a cluster, as `docker stack deploy` makes one (the docker CLI's
 * convert package): each service a cluster service `<stack>_<service>` with its `deploy:` section,
 * the networks the services use as overlay networks `<stack>_<name>` (`<stack>_default` for
 * services without `networks:`), secrets and configs `<stack>_<name>`, every object labelled
 * `com.docker.stack.namespace=<stack>` and each service `com.docker.stack.image=<image>`, so that
 * berth and the docker CLI each see the other's stacks. Pure: `planStack` converts (each service's
 * parts: stack-service-parts.ts); stack-spec-changes.ts tells whether a service's spec as berthd
 * shows it already is what the file asks.
 * Keys a stack cannot apply are ignored with docker's warnings ("Ignoring unsupported options:
 * build"); settings the cluster does not carry go to berthd, which refuses them naming the field.
 */
import { errors } from '../base/errors.js';
import type { NetworkCreateConfig } from '../wire/networks.js';
import type { SwarmServiceSpecInput } from '../wire/swarm.js';
import type { ComposeProject, ServiceConfig } from './project-model.js';
import { containerSpec, mode, networks, objectName, ports, resources, restartPolicy, STACK_LABELS, stringLabels, taggedImage, updateConfig, withNamespace, type TaskSpecInput } from './stack-service-parts.js';

export { STACK_LABELS, taggedImage } from './stack-service-parts.js';

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
