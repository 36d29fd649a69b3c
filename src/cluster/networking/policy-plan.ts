/**
 * The network policies as one network carries them to its nodes (`OverlayState.Policies`), pure:
 * each policy that selects a service with tasks on the network, with those tasks' addresses there
 * as its targets, and its rules with their sources made addresses — a source service's tasks on
 * the same network (`/32`), or the block as given; a rule without sources allows any.
 */
import type { OverlayPolicy } from '../../wire/overlays.js';
import { selectsService, type NetworkPolicy, type PolicyPeer } from '../objects/network-policy.js';
import type { Service } from '../objects/service.js';
import { isTerminalTaskState, type Task } from '../objects/task.js';

const hostPart = (address: string): string => address.split('/')[0] ?? address;

/** The addresses on `networkId` of the tasks (placed and not ended) of every service `select` accepts, sorted. */
function addressesOf(networkId: string, services: readonly Service[], tasks: readonly Task[], select: (s: Service) => boolean): string[] {
  const chosen = new Set(services.filter(select).map((s) => s.id));
  const out = new Set<string>();
  for (const task of tasks) {
    if (!chosen.has(task.serviceId) || task.nodeId === undefined || task.desiredState === 'remove' || isTerminalTaskState(task.status.state)) continue;
    const held = task.networks.find((a) => a.networkId === networkId);
    if (held !== undefined) out.add(hostPart(held.address));
  }
  return [...out].sort();
}

function sourcesOf(peers: readonly PolicyPeer[], networkId: string, services: readonly Service[], tasks: readonly Task[]): string[] | null {
  if (peers.length === 0) return null;
  const out = new Set<string>();
  for (const peer of peers) {
    if ('cidr' in peer) out.add(peer.cidr);
    else for (const address of addressesOf(networkId, services, tasks, (s) => selectsService(peer, s.spec.name, s.spec.labels))) out.add(`${address}/32`);
  }
  return [...out].sort();
}

/** The policies that guard tasks on `networkId`, by name. */
export function policiesForNetwork(networkId: string, policies: readonly NetworkPolicy[], services: readonly Service[], tasks: readonly Task[]): OverlayPolicy[] {
  const out: OverlayPolicy[] = [];
  for (const policy of [...policies].sort((a, b) => (a.spec.name < b.spec.name ? -1 : 1))) {
    const targets = addressesOf(networkId, services, tasks, (s) => selectsService(policy.spec.target, s.spec.name, s.spec.labels));
    if (targets.length === 0) continue;
    out.push({
      Name: policy.spec.name,
      Targets: targets,
      Rules: policy.spec.ingress.map((rule) => ({
        Sources: sourcesOf(rule.from, networkId, services, tasks),
        Ports: rule.ports.map((p) => ({ Protocol: p.protocol, Port: p.port })),
      })),
    });
  }
  return out;
}
