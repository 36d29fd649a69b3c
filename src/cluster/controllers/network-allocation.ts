/**
 * The address allocator applied (networking/address-allocation.ts): services' virtual IPs, nodes'
 * addresses on the ingress network and the addresses of tasks about to be placed are written before the scheduler runs, each its own
 * unit; a task that cannot get an address stays pending with the reason (written only when the
 * reason changes) and the scheduler leaves it alone.
 */
import { allocateAddresses } from '../networking/address-allocation.js';
import { putNetwork, putService, putTask, type Batch, type Change } from './changes.js';
import type { ClusterView } from './cluster-view.js';

export function allocateNetworkAddresses(view: ClusterView, now: Date): Batch[] {
  const allocation = allocateAddresses(view.networks, view.services.values(), view.tasks.values(), [...view.nodes.keys()]);
  const units: Change[][] = [
    ...allocation.networks.map((network) => [putNetwork({ ...network, updatedAt: now.toISOString() })]),
    ...allocation.services.map((service) => [putService({ ...service, updatedAt: now.toISOString() })]),
    ...allocation.tasks.map((task) => [putTask({ ...task, updatedAt: now.toISOString() })]),
  ];
  for (const { task, reason } of allocation.blocked) {
    if (task.status.state === 'pending' && task.status.message === reason) continue;
    units.push([putTask({ ...task, updatedAt: now.toISOString(), status: { state: 'pending', message: reason, timestamp: now.toISOString() } })]);
  }
  return units.length === 0 ? [] : [{ guard: [], units }];
}
