/**
 * How a task becomes a container of the node's engine, as Swarm makes it: the name
 * `<service>.<slot or node id>.<task id>`, Swarm's labels (which is how the agent finds its
 * containers again, and how `docker ps --filter is-task=true` sees them), and the create body from
 * the task's spec. Restart policy `no`: the cluster replaces a task that ends, the engine does not.
 */
import type { ContainerCreateConfig } from '../../wire/containers.js';
import type { MountConfig } from '../../wire/mounts.js';
import type { PublishedPort } from '../objects/published-port.js';
import type { Healthcheck, ServiceMount } from '../objects/service.js';
import type { Task } from '../objects/task.js';

/** Present (empty) on every task container (`is-task` filter). */
export const TASK_LABEL = 'com.docker.swarm.task';
/** The task a container runs: how the agent finds its containers. */
export const TASK_ID_LABEL = 'com.docker.swarm.task.id';
export const TASK_NAME_LABEL = 'com.docker.swarm.task.name';
export const SERVICE_ID_LABEL = 'com.docker.swarm.service.id';
export const SERVICE_NAME_LABEL = 'com.docker.swarm.service.name';
export const NODE_ID_LABEL = 'com.docker.swarm.node.id';

/** `<service>.<slot>.<task id>` (replicated) or `<service>.<node id>.<task id>` (global). */
export function taskContainerName(task: Task, serviceName: string, nodeId: string): string {
  return `${serviceName}.${task.slot === undefined ? nodeId : String(task.slot)}.${task.id}`;
}

/** The spec's labels, then Swarm's (which win). */
export function taskContainerLabels(task: Task, serviceName: string, nodeId: string): Record<string, string> {
  return {
    ...task.spec.containerSpec.labels,
    [TASK_LABEL]: '',
    [TASK_ID_LABEL]: task.id,
    [TASK_NAME_LABEL]: taskContainerName(task, serviceName, nodeId),
    [SERVICE_ID_LABEL]: task.serviceId,
    [SERVICE_NAME_LABEL]: serviceName,
    [NODE_ID_LABEL]: nodeId,
  };
}

function mountConfig(mount: ServiceMount): MountConfig {
  return {
    Type: mount.type,
    ...(mount.source === undefined ? {} : { Source: mount.source }),
    Target: mount.target,
    ReadOnly: mount.readOnly,
  };
}

/** The engine's default network, the gateway network of a task on no network of its own. */
const DEFAULT_NETWORK = 'bridge';

/**
 * The task's networks as a create body's endpoints: each network by id with the address the
 * leader gave the task there and the service's aliases on it (the first network is the gateway
 * network, as `NetworkMode`). The ingress network comes last and is never the gateway network:
 * a task on no other network has the engine's default first. Nothing for a task on no cluster
 * network (the engine's default).
 */
function taskNetworking(task: Task): Pick<ContainerCreateConfig, 'NetworkingConfig'> & { NetworkMode?: string } {
  const endpoints: Record<string, { IPAMConfig?: { IPv4Address: string }; Aliases?: string[] }> = {};
  const own = task.spec.networks.filter((n) => n.ingress !== true);
  if (own.length === 0 && task.spec.networks.length > 0) endpoints[DEFAULT_NETWORK] = {};
  for (const { target, aliases } of [...own, ...task.spec.networks.filter((n) => n.ingress === true)]) {
    const address = task.networks.find((a) => a.networkId === target)?.address.split('/')[0];
    if (address !== undefined) endpoints[target] = { IPAMConfig: { IPv4Address: address }, Aliases: aliases };
  }
  const first = Object.keys(endpoints)[0];
  return first === undefined ? {} : { NetworkMode: first, NetworkingConfig: { EndpointsConfig: endpoints } };
}

/** Host-mode ports as the container's port bindings (no published port: the node picks one). */
function hostPortBindings(ports: readonly PublishedPort[]): { PortBindings?: Record<string, { HostIp: string; HostPort: string }[]> } {
  if (ports.length === 0) return {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of ports) (bindings[`${String(p.targetPort)}/${p.protocol}`] ??= []).push({ HostIp: '', HostPort: p.publishedPort === undefined ? '' : String(p.publishedPort) });
  return { PortBindings: bindings };
}

function healthcheckBody(check: Healthcheck): NonNullable<ContainerCreateConfig['Healthcheck']> {
  return { Test: check.test, Interval: check.intervalNs, Timeout: check.timeoutNs, StartPeriod: check.startPeriodNs, Retries: check.retries };
}

/** The create body of the task's container (entrypoint = command, cmd = args; limits of 0 left out; `files`: its secrets' and configs' bind mounts). */
export function taskContainerConfig(task: Task, serviceName: string, nodeId: string, files: readonly MountConfig[] = []): ContainerCreateConfig {
  const { containerSpec, resources } = task.spec;
  const { nanoCpus, memoryBytes, pids } = resources.limits;
  const { NetworkMode, ...networking } = taskNetworking(task);
  return {
    Image: containerSpec.image,
    ...(containerSpec.command === undefined ? {} : { Entrypoint: containerSpec.command }),
    ...(containerSpec.args === undefined ? {} : { Cmd: containerSpec.args }),
    Env: containerSpec.env,
    ...(containerSpec.healthcheck === undefined ? {} : { Healthcheck: healthcheckBody(containerSpec.healthcheck) }),
    Labels: taskContainerLabels(task, serviceName, nodeId),
    ...networking,
    ...(task.spec.hostPorts.length === 0 ? {} : { ExposedPorts: Object.fromEntries(task.spec.hostPorts.map((p) => [`${String(p.targetPort)}/${p.protocol}`, {}])) }),
    HostConfig: {
      ...(NetworkMode === undefined ? {} : { NetworkMode }),
      ...hostPortBindings(task.spec.hostPorts),
      Mounts: [...containerSpec.mounts.map(mountConfig), ...files],
      ...(nanoCpus > 0 ? { NanoCpus: nanoCpus } : {}),
      ...(memoryBytes > 0 ? { Memory: memoryBytes } : {}),
      ...(pids > 0 ? { PidsLimit: pids } : {}),
      RestartPolicy: { Name: 'no' },
    },
  };
}
