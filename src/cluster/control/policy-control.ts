/**
 * Network policies as the API reads and changes them (`berth network policy …` on a manager).
 * A policy's name is claimed by a `network-policy-name` object written in the same commit as the
 * policy (two creates of one name: one wins, the other is refused); a service named by the
 * policy must exist when it is created. The leader and the agents do the rest: each node's
 * overlays carry the policies that guard its tasks (networking/policy-plan.ts).
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../../base/clock.js';
import { errors, isBerthError } from '../../base/errors.js';
import { parseNetworkPolicySpec, type NetworkPolicy, type NetworkPolicySpec } from '../objects/network-policy.js';
import type { ClusterStore } from '../store/cluster-store.js';
import { newObjectId } from './ids.js';
import { resolve } from './resolve-ref.js';
import { readNetworkPolicies, readServices, storedValue } from './stored-objects.js';

const nameId = (name: string): string => createHash('sha256').update(name).digest('hex');

/** The service names a spec selects by name (its target and its rules' sources). */
function namedServices(spec: NetworkPolicySpec): string[] {
  const names = 'service' in spec.target ? [spec.target.service] : [];
  for (const rule of spec.ingress) for (const peer of rule.from) if ('service' in peer) names.push(peer.service);
  return [...new Set(names)];
}

export class PolicyControl {
  constructor(private readonly store: ClusterStore, private readonly clock: Clock) {}

  /** invalid-argument `invalid-network-policy` naming the field; not-found `service-not-found`; conflict `network-policy-name-in-use`. */
  async create(input: unknown): Promise<NetworkPolicy> {
    const spec = parseNetworkPolicySpec(input);
    const services = new Set((await readServices(this.store)).map((s) => s.spec.name));
    const unknown = namedServices(spec).find((name) => !services.has(name));
    if (unknown !== undefined) throw errors.notFound('service-not-found', `network policy ${spec.name}: service ${unknown} not found`);
    const now = this.clock.now().toISOString();
    const policy: NetworkPolicy = { id: newObjectId(), version: 0, createdAt: now, updatedAt: now, spec };
    try {
      const { revision } = await this.store.commit([
        { op: 'put', kind: 'network-policy-name', id: nameId(spec.name), value: { policyId: policy.id }, expect: 'absent' },
        { op: 'put', kind: 'network-policy', id: policy.id, value: storedValue(policy), expect: 'absent' },
      ]);
      return { ...policy, version: revision };
    } catch (err) {
      if (isBerthError(err, 'conflict') && err.details.kind === 'network-policy-name') throw errors.conflict('network-policy-name-in-use', `network policy ${spec.name} already exists`);
      throw err;
    }
  }

  async list(): Promise<NetworkPolicy[]> {
    return readNetworkPolicies(this.store);
  }

  /** By id, unique id prefix or name; not-found `network-policy-not-found`. */
  async get(ref: string): Promise<NetworkPolicy> {
    return resolve('network-policy', ref, await this.list(), (p) => p.spec.name);
  }

  async remove(ref: string): Promise<void> {
    const policy = await this.get(ref);
    const name = await this.store.get('network-policy-name', nameId(policy.spec.name));
    await this.store.commit([
      { op: 'delete', kind: 'network-policy', id: policy.id, expect: policy.version },
      ...(name === undefined ? [] : [{ op: 'delete' as const, kind: 'network-policy-name' as const, id: name.id, expect: name.version }]),
    ]);
  }
}
