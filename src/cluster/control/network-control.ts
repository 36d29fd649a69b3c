/**
 * Cluster networks as the API reads and changes them (`docker network create -d overlay` on a
 * manager). A create plans the subnet, gateway and VXLAN id against the `network-pool` object
 * and writes both at once (compare-and-swap: two creates never take the same subnet, id or name).
 * A service that names networks has them resolved to ids, and its write rewrites each of them
 * unchanged, so a remove that read "no service uses it" fails (conflict) if one came meanwhile.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../base/clock.js';
import { errors, isBerthError } from '../../base/errors.js';
import { clusterNetworkSchema, ENCRYPTED_OPTION, networkSpecSchema, type ClusterNetwork, type NetworkSpecInput } from '../objects/network.js';
import type { ServiceSpec } from '../objects/service.js';
import { readStoredObject } from '../objects/stored-object.js';
import { NETWORK_POOL_ID, networkPoolSchema, planNetwork, type NetworkPool } from '../networking/network-pool.js';
import type { ClusterStore, StoreWrite } from '../store/cluster-store.js';
import { resolve } from './resolve-ref.js';
import { readServices, storedValue } from './stored-objects.js';

const ATTEMPTS = 10;
/** The routing mesh's network's name (Swarm's). */
export const INGRESS_NAME = 'ingress';

export class NetworkControl {
  constructor(private readonly store: ClusterStore, private readonly clock: Clock) {}

  /** Validates, plans and stores a network. Throws as `planNetwork`, and invalid-argument naming a bad field. */
  async create(input: NetworkSpecInput): Promise<ClusterNetwork> {
    const parsed = networkSpecSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw errors.invalidArgument('invalid-network-spec', `${issue?.path.join('.') ?? 'network'}: ${issue?.message ?? 'invalid'}`);
    }
    const spec = parsed.data;
    if (ENCRYPTED_OPTION in spec.driverOptions) {
      // Accepting it would promise encryption and carry plaintext.
      throw errors.invalidArgument('encryption-unavailable', `--opt ${ENCRYPTED_OPTION}: berth cannot encrypt overlay traffic yet (it needs the kernel's IPsec ESP between the nodes); create the network without it`);
    }
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const { pool, version } = await this.#pool();
      const plan = planNetwork(pool, spec);
      const now = this.clock.now().toISOString();
      const network: ClusterNetwork = { id: randomBytes(32).toString('hex'), version: 0, createdAt: now, updatedAt: now, spec, ...plan, nodeAddresses: {} };
      const next: NetworkPool = { networks: { ...pool.networks, [network.id]: { name: spec.name, subnet: plan.subnet, vni: plan.vni } } };
      try {
        const { revision } = await this.store.commit([
          { op: 'put', kind: 'network-pool', id: NETWORK_POOL_ID, value: next, expect: version },
          { op: 'put', kind: 'network', id: network.id, value: storedValue(network), expect: 'absent' },
        ]);
        return { ...network, version: revision };
      } catch (err) {
        if (!isBerthError(err, 'conflict')) throw err; // another create or remove came first: plan again
      }
    }
    throw errors.unavailable('network-pool-contended', 'networks kept changing while this one was planned; try again');
  }

  /** The routing mesh's network: the one there is, or a new one named `ingress` (10.0.0.0/24 when free). */
  async ensureIngress(): Promise<ClusterNetwork> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const existing = (await this.list()).find((n) => n.spec.ingress);
      if (existing !== undefined) return existing;
      try {
        return await this.create({ name: INGRESS_NAME, ingress: true, labels: {}, driverOptions: {} });
      } catch (err) {
        if (!isBerthError(err, 'conflict')) throw err;
        if ((await this.list()).some((n) => n.spec.name === INGRESS_NAME && !n.spec.ingress)) {
          throw errors.conflict('ingress-name-taken', `network ${INGRESS_NAME} exists and is not the routing mesh's: remove or rename it to publish ports`);
        }
      }
    }
    throw errors.unavailable('network-pool-contended', 'networks kept changing while the ingress network was made; try again');
  }

  async list(): Promise<ClusterNetwork[]> {
    return (await this.store.list('network')).items.map((item) => readStoredObject(clusterNetworkSchema, item));
  }

  /** By id, unique id prefix or name; not-found `network-not-found`. */
  async get(ref: string): Promise<ClusterNetwork> {
    return resolve('network', ref, await this.list(), (n) => n.spec.name);
  }

  /** Removes a network no service uses; failed-precondition `network-in-use` naming the service otherwise. */
  async remove(ref: string): Promise<void> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const network = await this.get(ref);
      const user = (await readServices(this.store)).find((s) => s.spec.taskTemplate.networks.some((n) => n.target === network.id)
        || (network.spec.ingress && s.endpointPorts.some((p) => p.publishMode === 'ingress')));
      if (user !== undefined) throw errors.failedPrecondition('network-in-use', `network ${network.spec.name} is in use by service ${user.spec.name}`);
      const { pool, version } = await this.#pool();
      const rest = Object.fromEntries(Object.entries(pool.networks).filter(([id]) => id !== network.id));
      try {
        await this.store.commit([
          { op: 'delete', kind: 'network', id: network.id, expect: network.version },
          { op: 'put', kind: 'network-pool', id: NETWORK_POOL_ID, value: { networks: rest }, expect: version },
        ]);
        return;
      } catch (err) {
        if (!isBerthError(err, 'conflict')) throw err;
      }
    }
    throw errors.unavailable('network-pool-contended', `network ${ref} kept changing while it was removed; try again`);
  }

  /**
   * The spec with its networks named by id (a name or id prefix resolved; not-found naming an
   * unknown one; invalid-argument for one named twice), and the writes that pin those networks
   * in the service's commit.
   */
  async resolveServiceNetworks(spec: ServiceSpec): Promise<{ spec: ServiceSpec; writes: StoreWrite[] }> {
    if (spec.taskTemplate.networks.length === 0) return { spec, writes: [] };
    const networks = await this.list();
    const resolved = spec.taskTemplate.networks.map((n) => ({ ...n, network: resolve('network', n.target, networks, (x) => x.spec.name) }));
    const seen = new Set<string>();
    for (const { network } of resolved) {
      if (network.spec.ingress) throw errors.invalidArgument('ingress-attachment', `network ${network.spec.name}: a service cannot join the ingress network by name; publish a port (--publish) instead`);
      if (seen.has(network.id)) throw errors.invalidArgument('duplicate-network', `network ${network.spec.name} is attached more than once`);
      seen.add(network.id);
    }
    const writes: StoreWrite[] = resolved.map(({ network }) => ({ op: 'put', kind: 'network', id: network.id, value: storedValue(network), expect: network.version }));
    const taskTemplate = { ...spec.taskTemplate, networks: resolved.map(({ network, aliases }) => ({ target: network.id, aliases })) };
    return { spec: { ...spec, taskTemplate }, writes };
  }

  async #pool(): Promise<{ pool: NetworkPool; version: number | 'absent' }> {
    const stored = await this.store.get('network-pool', NETWORK_POOL_ID);
    if (stored === undefined) return { pool: { networks: {} }, version: 'absent' };
    return { pool: networkPoolSchema.parse(stored.value), version: stored.version };
  }
}
