/**
 * `berth_network_policy_denied_connections{policy}`: the new connections each network policy
 * dropped on this node, read at scrape time from the policy tables of the node's guarded
 * containers (one `nft` per guarded container, none when no policy guards a container here).
 * A gauge: the counts live in the containers' namespaces and go with them.
 */
import { Gauge, Registry } from 'prom-client';

export interface DenialSource {
  /** The denied connections by policy name, summed over the node's containers. */
  deniedCounts(): Promise<ReadonlyMap<string, number>>;
}

export function policyDenialsRegistry(source: DenialSource): Registry {
  const registry = new Registry();
  new Gauge({
    name: 'berth_network_policy_denied_connections',
    help: 'New connections a network policy dropped on this node, summed over its running containers',
    labelNames: ['policy'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const [policy, count] of await source.deniedCounts()) this.set({ policy }, count);
    },
  });
  return registry;
}
