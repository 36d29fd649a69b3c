/**
 * The addresses of the cluster's networks, pure (the leader applies the result): each service in
 * endpoint mode `vip` gets one virtual IP on each of its networks, each task about to be placed
 * an address on each network of its spec, and each node an address of its own on the ingress
 * network (released when the node is removed). An address is in use while a service holds it as its
 * VIP or a task that has not ended holds it; the gateway is never handed out. The lowest free
 * address is taken, so the same state always allocates the same way — but one that an ended task
 * of the history held is taken only when no other is left: a replacement on the address of the
 * task it replaces would meet neighbour caches that still name the old container's MAC, and
 * connections to it would hang until they expire.
 */
import type { ClusterNetwork, NetworkAddress } from '../objects/network.js';
import type { Service } from '../objects/service.js';
import { isDesiredToRun, isTerminalTaskState, type Task } from '../objects/task.js';
import { blockSize, formatIpv4, parseBlock, type Ipv4Block } from './ipv4-block.js';
import { parseIpv4 } from '../../wire/ipv4-address.js';

export interface Allocation {
  /** Services whose virtual IPs changed (allocated, or released for networks they left). */
  readonly services: readonly Service[];
  /** Ingress networks whose node addresses changed. */
  readonly networks: readonly ClusterNetwork[];
  /** Tasks that got their addresses. */
  readonly tasks: readonly Task[];
  /** Tasks that could not get one, with why ("network web-net (10.0.1.0/24) has no free address"). */
  readonly blocked: readonly { readonly task: Task; readonly reason: string }[];
}

/** Whether a task still waits for addresses: wanted running, not placed with a node's agent yet, and missing one of its networks. */
export function needsAddresses(task: Task): boolean {
  if (!isDesiredToRun(task) || !['new', 'allocated', 'pending'].includes(task.status.state)) return false;
  return task.spec.networks.some((n) => !task.networks.some((a) => a.networkId === n.target));
}

const ipOf = (address: string): number | undefined => parseIpv4(address.split('/')[0] ?? '');

class NetworkAddresses {
  readonly #block: Ipv4Block;
  readonly #used = new Set<number>();
  /** Held by ended tasks of the history: free, but taken last. */
  readonly #recent = new Set<number>();
  #cursor: number;
  #recentCursor: number;

  constructor(readonly network: ClusterNetwork) {
    this.#block = parseBlock(network.subnet, 'subnet');
    this.#cursor = this.#block.base + 1;
    this.#recentCursor = this.#cursor;
    this.take(network.gateway);
    for (const address of Object.values(network.nodeAddresses)) this.take(address);
  }

  take(address: string): void {
    const ip = ipOf(address);
    if (ip !== undefined) this.#used.add(ip);
  }

  /** An address an ended task held (not in use, but not to be reused while others are free). */
  remember(address: string): void {
    const ip = ipOf(address);
    if (ip !== undefined) this.#recent.add(ip);
  }

  /** The lowest free host address with the subnet's prefix (one no ended task held, while any is left), or undefined when none is left. */
  next(): string | undefined {
    const end = this.#block.base + blockSize(this.#block) - 1;
    while (this.#cursor < end && (this.#used.has(this.#cursor) || this.#recent.has(this.#cursor))) this.#cursor++;
    let ip = this.#cursor;
    if (ip >= end) {
      while (this.#recentCursor < end && this.#used.has(this.#recentCursor)) this.#recentCursor++;
      ip = this.#recentCursor;
      if (ip >= end) return undefined;
    }
    this.#used.add(ip);
    return `${formatIpv4(ip)}/${String(this.#block.prefix)}`;
  }
}

export function allocateAddresses(networks: ReadonlyMap<string, ClusterNetwork>, services: Iterable<Service>, tasks: Iterable<Task>, nodeIds: readonly string[] = []): Allocation {
  const pools = new Map<string, NetworkAddresses>();
  for (const network of networks.values()) pools.set(network.id, new NetworkAddresses(network));
  const serviceList = [...services].sort((a, b) => (a.id < b.id ? -1 : 1));
  const taskList = [...tasks].sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1));
  for (const service of serviceList) for (const vip of service.virtualIps) pools.get(vip.networkId)?.take(vip.address);
  for (const task of taskList) {
    const ended = isTerminalTaskState(task.status.state);
    for (const address of task.networks) {
      const pool = pools.get(address.networkId);
      if (ended) pool?.remember(address.address);
      else pool?.take(address.address);
    }
  }

  const changedServices: Service[] = [];
  for (const service of serviceList) {
    const wanted = service.spec.endpointMode === 'vip' ? service.spec.taskTemplate.networks.map((n) => n.target).filter((id) => pools.has(id)) : [];
    const kept = service.virtualIps.filter((vip) => wanted.includes(vip.networkId));
    const virtualIps: NetworkAddress[] = [];
    for (const networkId of wanted) {
      const held = kept.find((vip) => vip.networkId === networkId);
      const address = held?.address ?? pools.get(networkId)?.next();
      if (address !== undefined) virtualIps.push({ networkId, address });
    }
    if (JSON.stringify(virtualIps) !== JSON.stringify(service.virtualIps)) changedServices.push({ ...service, virtualIps });
  }

  const changedNetworks: ClusterNetwork[] = [];
  for (const network of [...networks.values()].filter((n) => n.spec.ingress)) {
    const nodeAddresses: Record<string, string> = {};
    for (const nodeId of [...nodeIds].sort()) {
      const address = network.nodeAddresses[nodeId] ?? pools.get(network.id)?.next();
      if (address !== undefined) nodeAddresses[nodeId] = address;
    }
    if (JSON.stringify(nodeAddresses) !== JSON.stringify(network.nodeAddresses)) changedNetworks.push({ ...network, nodeAddresses });
  }

  const changedTasks: Task[] = [];
  const blocked: { task: Task; reason: string }[] = [];
  for (const task of taskList.filter(needsAddresses)) {
    const addresses: NetworkAddress[] = [];
    let reason: string | undefined;
    for (const { target } of task.spec.networks) {
      const held = task.networks.find((a) => a.networkId === target);
      if (held !== undefined) { addresses.push(held); continue; }
      const pool = pools.get(target);
      const address = pool?.next();
      if (pool === undefined) reason = `network ${target} not found`;
      else if (address === undefined) reason = `network ${pool.network.spec.name} (${pool.network.subnet}) has no free address`;
      if (address === undefined) break;
      addresses.push({ networkId: target, address });
    }
    if (reason === undefined) changedTasks.push({ ...task, networks: addresses });
    else blocked.push({ task, reason });
  }
  return { services: changedServices, networks: changedNetworks, tasks: changedTasks, blocked };
}
