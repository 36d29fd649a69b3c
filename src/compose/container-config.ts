/**
 * A service's container as berthd's create body (the Docker Engine API's): image, command,
 * environment, labels, ports, mounts (named volumes, binds, tmpfs, secrets at /run/secrets/<name>
 * and configs as read-only binds, as docker compose does without swarm), the first network with its
 * aliases (the others are connected before start), healthcheck, restart policy and resources.
 */
import { posix } from 'node:path';
import { errors } from '../base/errors.js';
import type { MountConfig } from '../wire/mounts.js';
import type { ContainerCreateConfig, HealthcheckBody, HostConfig } from '../wire/containers.js';
import type { FieldPath } from './field-error.js';
import { containerLabels, containerName, imageOf } from './compose-labels.js';
import type { ComposeProject, HealthcheckConfig, ServiceConfig } from './project-model.js';
import type { ServiceNetworkConfig } from './short-syntax.js';
import { shellWords } from './shell-words.js';
import { durationNs, sizeBytes } from './units.js';

export interface ContainerPlan {
  name: string;
  config: ContainerCreateConfig;
  /** Networks to connect after create (berthd name → aliases), in order. */
  moreNetworks: { network: string; aliases: string[] }[];
}

function healthcheck(check: HealthcheckConfig | undefined, where: FieldPath): HealthcheckBody | undefined {
  if (check === undefined) return undefined;
  if (check.disable === true) return { Test: ['NONE'] };
  const test = check.test === undefined ? undefined : typeof check.test === 'string' ? ['CMD-SHELL', check.test] : check.test;
  const ns = (value: string | undefined, field: string): number | undefined => (value === undefined ? undefined : durationNs(value, [...where, 'healthcheck', field]));
  const body: HealthcheckBody = {};
  if (test !== undefined) body.Test = test;
  const interval = ns(check.interval, 'interval');
  if (interval !== undefined) body.Interval = interval;
  const timeout = ns(check.timeout, 'timeout');
  if (timeout !== undefined) body.Timeout = timeout;
  const startPeriod = ns(check.start_period, 'start_period');
  if (startPeriod !== undefined) body.StartPeriod = startPeriod;
  const startInterval = ns(check.start_interval, 'start_interval');
  if (startInterval !== undefined) body.StartInterval = startInterval;
  if (check.retries !== undefined) body.Retries = check.retries;
  return body;
}

function restartPolicy(restart: string | undefined): HostConfig['RestartPolicy'] {
  if (restart === undefined || restart === 'no') return { Name: 'no' };
  const [name = 'no', count] = restart.split(':');
  return { Name: name, ...(count === undefined ? {} : { MaximumRetryCount: Number(count) }) };
}

function mounts(project: ComposeProject, service: ServiceConfig): MountConfig[] {
  const where = `services.${service.name}`;
  const list: MountConfig[] = service.volumes.map((v, index) => {
    if (v.type === 'volume') {
      const source = v.source === undefined ? undefined : project.volumes[v.source]?.name;
      return { Type: 'volume', Target: v.target, ReadOnly: v.read_only === true, ...(source === undefined ? {} : { Source: source }) };
    }
    if (v.type === 'tmpfs') return { Type: 'tmpfs', Target: v.target, ...(v.tmpfs?.size === undefined ? {} : { TmpfsOptions: { SizeBytes: sizeBytes(v.tmpfs.size, ['services', service.name, 'volumes', index, 'tmpfs', 'size']) } }) };
    return { Type: 'bind', Source: v.source ?? '', Target: v.target, ReadOnly: v.read_only === true, BindOptions: { CreateMountpoint: true } };
  });
  for (const [kind, refs, table] of [['secret', service.secrets, project.secrets], ['config', service.configs, project.configs]] as const) {
    for (const ref of refs) {
      const object = table[ref.source];
      if (object?.file === undefined) {
        throw errors.failedPrecondition('compose-file-object', `${where}.${kind}s: ${kind} ${ref.source} is not from a file; berth compose mounts ${kind}s from files only`);
      }
      const target = kind === 'secret'
        ? posix.resolve('/run/secrets', ref.target ?? ref.source)
        : posix.resolve('/', ref.target ?? ref.source);
      list.push({ Type: 'bind', Source: object.file, Target: target, ReadOnly: true });
    }
  }
  return list;
}

function resources(service: ServiceConfig): Partial<HostConfig> {
  const where = ['services', service.name];
  const limits = service.deploy?.resources?.limits;
  const reservations = service.deploy?.resources?.reservations;
  const cpus = limits?.cpus ?? service.cpus;
  const memory = limits?.memory ?? service.mem_limit;
  const memoryField = limits?.memory === undefined ? ['mem_limit'] : ['deploy', 'resources', 'limits', 'memory'];
  const pids = limits?.pids ?? service.pids_limit;
  return {
    ...(cpus === undefined ? {} : { NanoCpus: Math.round(Number(cpus) * 1e9) }),
    ...(memory === undefined ? {} : { Memory: sizeBytes(memory, [...where, ...memoryField]) }),
    ...(pids === undefined ? {} : { PidsLimit: pids }),
    ...(reservations?.memory === undefined ? {} : { MemoryReservation: sizeBytes(reservations.memory, [...where, 'deploy', 'resources', 'reservations', 'memory']) }),
    ...(service.shm_size === undefined ? {} : { ShmSize: sizeBytes(service.shm_size, [...where, 'shm_size']) }),
  };
}

/** The create body and the networks of container number `n` of `service`. */
export function containerPlan(project: ComposeProject, service: ServiceConfig, n: number, options: { oneoff?: boolean; name?: string } = {}): ContainerPlan {
  const where = `services.${service.name}`;
  const name = options.name ?? containerName(project, service, n);
  // The network the container is created on carries its published ports and default route: the
  // highest priority, then one that is not internal (as dockerd's gateway endpoint), then file order.
  const rank = ([key, net]: [string, ServiceNetworkConfig]): [number, number] => [-(net.priority ?? 0), project.networks[key]?.internal === true ? 1 : 0];
  const networks = Object.entries(service.networks)
    .map((entry, index) => ({ entry, index, rank: rank(entry) }))
    .sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1] || a.index - b.index)
    .map(({ entry: [key, net] }) => ({ network: project.networks[key]?.name ?? key, aliases: [service.name, ...(net.aliases ?? [])] }));
  const [first, ...rest] = networks;
  const portBindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  const exposed: Record<string, object> = {};
  for (const port of service.ports) {
    const key = `${port.target}/${port.protocol}`;
    exposed[key] = {};
    (portBindings[key] ??= []).push({ HostIp: port.host_ip ?? '', HostPort: port.published ?? '' });
  }
  for (const port of service.expose) exposed[port.includes('/') ? port : `${port}/tcp`] = {};
  const check = healthcheck(service.healthcheck, ['services', service.name]);
  const hostConfig: HostConfig = {
    Mounts: mounts(project, service),
    PortBindings: portBindings,
    RestartPolicy: restartPolicy(service.restart),
    NetworkMode: service.network_mode ?? first?.network ?? 'none',
    CapAdd: service.cap_add,
    CapDrop: service.cap_drop,
    Dns: service.dns,
    ExtraHosts: service.extra_hosts,
    Sysctls: service.sysctls,
    Tmpfs: Object.fromEntries(service.tmpfs.map((t) => [t.split(':')[0] ?? t, t.split(':')[1] ?? ''])),
    ...(service.privileged === undefined ? {} : { Privileged: service.privileged }),
    ...(service.read_only === undefined ? {} : { ReadonlyRootfs: service.read_only }),
    ...(service.init === undefined ? {} : { Init: service.init }),
    ...resources(service),
  };
  const config: ContainerCreateConfig = {
    Image: imageOf(project, service),
    Env: Object.entries(service.environment).map(([k, v]) => `${k}=${v}`),
    Labels: containerLabels(project, service, n, options.oneoff === true),
    ExposedPorts: exposed,
    HostConfig: hostConfig,
    ...(service.command === undefined ? {} : { Cmd: typeof service.command === 'string' ? shellWords(service.command, `${where}.command`) : service.command }),
    ...(service.entrypoint === undefined ? {} : { Entrypoint: typeof service.entrypoint === 'string' ? shellWords(service.entrypoint, `${where}.entrypoint`) : service.entrypoint }),
    ...(service.working_dir === undefined ? {} : { WorkingDir: service.working_dir }),
    ...(service.user === undefined ? {} : { User: service.user }),
    ...(service.hostname === undefined ? {} : { Hostname: service.hostname }),
    ...(service.stop_signal === undefined ? {} : { StopSignal: service.stop_signal }),
    ...(service.stop_grace_period === undefined ? {} : { StopTimeout: Math.ceil(durationNs(service.stop_grace_period, ['services', service.name, 'stop_grace_period']) / 1e9) }),
    ...(service.tty === undefined ? {} : { Tty: service.tty }),
    ...(service.stdin_open === undefined ? {} : { OpenStdin: service.stdin_open }),
    ...(check === undefined ? {} : { Healthcheck: check }),
    ...(first === undefined || service.network_mode !== undefined ? {} : { NetworkingConfig: { EndpointsConfig: { [first.network]: { Aliases: first.aliases } } } }),
  };
  return { name, config, moreNetworks: service.network_mode === undefined ? rest : [] };
}
