/**
 * `network connect` / `network disconnect` of a container: the container's config gains or loses
 * the network (so its next runs have it) and, while it runs, the interface is added or removed at
 * once. A container without bridge networking (none, host, container:<id>) cannot be connected.
 * The record is written after the interface is made: an interface a crash left unrecorded is
 * taken away again by the next berthd (live-restore.ts), so a connect cut short did not happen.
 */
import { errors } from '../base/errors.js';
import { failpoint } from '../base/failpoint.js';
import type { EndpointRequest } from '../network/container-network.js';
import { networkChoice } from '../network/container-attachments.js';
import { endpointEntry } from '../network/endpoint-settings.js';
import { DEFAULT_NETWORK, type NetworkService } from '../network/network-service.js';
import { isActive, type ContainerRecord } from './container-record.js';
import type { ContainerStore } from './container-store.js';

/** What connecting and disconnecting need of the engine. */
export interface ConnectContext {
  network: NetworkService;
  store: ContainerStore;
  /** Runs `fn` under the container's lock with its current record. */
  exclusive<T>(ref: string, fn: (record: ContainerRecord) => Promise<T>): Promise<T>;
}

/**
 * Throws not-found (container, network), failed-precondition for a container without bridge
 * networking, invalid-argument for a bad address, MAC or link, conflict when already connected or (while
 * it runs) when the address is taken.
 */
export async function connectNetwork(ctx: ConnectContext, ref: string, networkRef: string, endpoint: EndpointRequest): Promise<void> {
  const network = networkRef === 'bridge' ? await ctx.network.ensureDefault() : ctx.network.resolve(networkRef);
  const entry = endpointEntry(network, endpoint, 'EndpointConfig');
  await ctx.exclusive(ref, async (record) => {
    // As Docker: on a user-defined network the container's short id becomes one of its aliases.
    const shortId = record.id.slice(0, 12);
    if (network.name !== DEFAULT_NETWORK && !entry.aliases.includes(shortId)) entry.aliases.push(shortId);
    const net = record.config.network;
    if (net?.mode !== 'bridge') {
      throw errors.failedPrecondition('network-mode-not-bridge', `container ${record.name} is not on bridge networking and cannot be connected to ${network.name}`);
    }
    if (net.networks.some((n) => n.id === network.id)) {
      throw errors.conflict('endpoint-exists', `endpoint with name ${record.name} already exists in network ${network.name}`);
    }
    const config = { ...record.config, network: { ...net, networks: [...net.networks, entry] } };
    if (isActive(record.state)) await ctx.network.attachments.connect(record.id, record.name, networkChoice(network, entry));
    failpoint('connect-after-attach');
    ctx.store.setConfig(record.id, config);
  });
}

export async function disconnectNetwork(ctx: ConnectContext, ref: string, networkRef: string): Promise<void> {
  const network = ctx.network.resolve(networkRef);
  await ctx.exclusive(ref, async (record) => {
    const net = record.config.network;
    if (net?.mode !== 'bridge' || !net.networks.some((n) => n.id === network.id)) {
      throw errors.notFound('endpoint-not-found', `container ${record.name} is not connected to network ${network.name}`);
    }
    if (isActive(record.state)) await ctx.network.attachments.disconnect(record.id, network);
    ctx.store.setConfig(record.id, { ...record.config, network: { ...net, networks: net.networks.filter((n) => n.id !== network.id) } });
  });
}
