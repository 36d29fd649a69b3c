/**
 * What one node must make of each cluster network its tasks are on (the `OverlayState` its
 * berthd is given, wire/overlays.ts), pure: the network; the other nodes with tasks on it (the
 * tunnel's far ends); the names its DNS answers — a service's name and aliases (its virtual IP,
 * or in `dnsrr` mode its running tasks' addresses), `tasks.<service>` (the running tasks'
 * addresses) and each running task's container name; and each virtual IP with the running tasks'
 * addresses behind it. The ingress network is on every node that has an address on it: the
 * node's bridge holds that address (not the shared gateway), its peers are all other such nodes,
 * and instead of names it carries the ports published through the mesh with the running tasks
 * behind each. Every network carries the network policies that guard its tasks (policy-plan.ts).
 */
import type { OverlayName, OverlayPort, OverlayState } from '../../wire/overlays.js';
import { taskContainerName } from '../agent/task-container-config.js';
import type { ClusterNetwork } from '../objects/network.js';
import type { NetworkPolicy } from '../objects/network-policy.js';
import { policiesForNetwork } from './policy-plan.js';
import type { Node } from '../objects/node.js';
import type { Service } from '../objects/service.js';
import { isDesiredToRun, isTerminalTaskState, type Task } from '../objects/task.js';

export interface ClusterSnapshot {
  readonly nodes: readonly Node[];
  readonly networks: readonly ClusterNetwork[];
  readonly services: readonly Service[];
  readonly tasks: readonly Task[];
  /** The cluster's network policies (none: every task accepts every connection). */
  readonly policies?: readonly NetworkPolicy[];
}

/** The `Policies` field of an overlay: present only when a policy guards a task on it. */
function policiesField(networkId: string, snapshot: ClusterSnapshot): Pick<OverlayState, 'Policies'> {
  const policies = policiesForNetwork(networkId, snapshot.policies ?? [], snapshot.services, snapshot.tasks);
  return policies.length === 0 ? {} : { Policies: policies };
}

const hostPart = (address: string): string => address.split('/')[0] ?? address;

/** Whether the task holds its addresses on a node: placed and not ended. */
function onNode(task: Task): task is Task & { nodeId: string } {
  return task.nodeId !== undefined && task.desiredState !== 'remove' && !isTerminalTaskState(task.status.state);
}

function addressOn(task: Task, networkId: string): string | undefined {
  const held = task.networks.find((a) => a.networkId === networkId);
  return held === undefined ? undefined : hostPart(held.address);
}

/** The overlays of `nodeId`: every network one of its placed tasks has an address on, sorted by name. */
export function overlaysForNode(nodeId: string, snapshot: ClusterSnapshot): OverlayState[] {
  const self = snapshot.nodes.find((n) => n.id === nodeId);
  if (self === undefined || self.status.addr === '') return [];
  const mine = new Set(snapshot.tasks.filter((t) => t.nodeId === nodeId && t.desiredState !== 'remove').flatMap((t) => t.networks.map((a) => a.networkId)));
  return snapshot.networks
    .filter((network) => (network.spec.ingress ? network.nodeAddresses[nodeId] !== undefined : mine.has(network.id)))
    .sort((a, b) => (a.spec.name < b.spec.name ? -1 : 1))
    .map((network) => (network.spec.ingress ? ingressOf(network, self, snapshot) : overlayOf(network, self, snapshot)));
}

function runningOn(snapshot: ClusterSnapshot, serviceId: string, networkId: string): Task[] {
  return snapshot.tasks
    .filter((t) => t.serviceId === serviceId && t.status.state === 'running' && isDesiredToRun(t) && addressOn(t, networkId) !== undefined)
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

function ingressOf(network: ClusterNetwork, self: Node, snapshot: ClusterSnapshot): OverlayState {
  const peers = new Set<string>();
  for (const node of snapshot.nodes) {
    if (node.id !== self.id && node.status.addr !== '' && node.status.addr !== self.status.addr && network.nodeAddresses[node.id] !== undefined) peers.add(node.status.addr);
  }
  const ports: OverlayPort[] = [];
  for (const service of [...snapshot.services].sort((a, b) => (a.spec.name < b.spec.name ? -1 : 1))) {
    const backends = runningOn(snapshot, service.id, network.id).map((t) => addressOn(t, network.id) ?? '');
    for (const port of service.endpointPorts) {
      if (port.publishMode !== 'ingress' || port.publishedPort === undefined) continue;
      ports.push({ Protocol: port.protocol, Port: port.publishedPort, TargetPort: port.targetPort, Backends: backends });
    }
  }
  return {
    ...overlayFields(network, self),
    Gateway: hostPart(network.nodeAddresses[self.id] ?? network.gateway),
    Peers: [...peers].sort(),
    Names: [],
    Balancers: [],
    Ingress: { Ports: ports },
    ...policiesField(network.id, snapshot),
  };
}

function overlayFields(network: ClusterNetwork, self: Node): Pick<OverlayState, 'Id' | 'Name' | 'Subnet' | 'Gateway' | 'Vni' | 'Internal' | 'Attachable' | 'Labels' | 'Options' | 'LocalAddress'> {
  return {
    Id: network.id,
    Name: network.spec.name,
    Subnet: network.subnet,
    Gateway: network.gateway,
    Vni: network.vni,
    Internal: network.spec.internal,
    Attachable: network.spec.attachable,
    Labels: network.spec.labels,
    Options: network.spec.driverOptions,
    LocalAddress: self.status.addr,
  };
}

function overlayOf(network: ClusterNetwork, self: Node, snapshot: ClusterSnapshot): OverlayState {
  const addrOf = new Map(snapshot.nodes.map((n) => [n.id, n.status.addr]));
  const peers = new Set<string>();
  for (const task of snapshot.tasks) {
    if (!onNode(task) || task.nodeId === self.id || addressOn(task, network.id) === undefined) continue;
    const addr = addrOf.get(task.nodeId);
    if (addr !== undefined && addr !== '' && addr !== self.status.addr) peers.add(addr);
  }
  const names: OverlayName[] = [];
  const balancers: OverlayState['Balancers'][number][] = [];
  for (const service of [...snapshot.services].sort((a, b) => (a.spec.name < b.spec.name ? -1 : 1))) {
    const attachment = service.spec.taskTemplate.networks.find((n) => n.target === network.id);
    if (attachment === undefined) continue;
    const running = runningOn(snapshot, service.id, network.id);
    const backends = running.map((t) => addressOn(t, network.id) ?? '');
    const vip = service.virtualIps.find((v) => v.networkId === network.id);
    const serviceAddresses = service.spec.endpointMode === 'vip' ? (vip === undefined ? [] : [hostPart(vip.address)]) : backends;
    for (const name of [service.spec.name, ...attachment.aliases]) names.push({ Name: name, Addresses: serviceAddresses });
    names.push({ Name: `tasks.${service.spec.name}`, Addresses: backends });
    for (const task of running) {
      names.push({ Name: taskContainerName(task, service.spec.name, task.nodeId ?? ''), Addresses: [addressOn(task, network.id) ?? ''] });
    }
    if (service.spec.endpointMode === 'vip' && vip !== undefined) balancers.push({ Vip: hostPart(vip.address), Backends: backends });
  }
  return {
    ...overlayFields(network, self),
    Peers: [...peers].sort(),
    Names: names,
    Balancers: balancers,
    ...policiesField(network.id, snapshot),
  };
}
