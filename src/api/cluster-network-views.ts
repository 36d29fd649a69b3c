/**
 * Cluster networks in Docker's shapes, pure: as a network of `GET /networks` (scope swarm, driver
 * overlay, the VXLAN id among the options as dockerd shows it) and as the Network of a task's
 * NetworksAttachments.
 */
import type { ClusterNetwork } from '../cluster/objects/index.js';
import type { NetworkRecord } from '../network/network-store.js';
import type { SwarmNetwork } from '../wire/swarm-networks.js';
import { VXLAN_ID_OPTION } from './network-views.js';


/** The network as the node's own records look (no bridge: the node makes one when a task joins). */
export function clusterNetworkRecord(network: ClusterNetwork): NetworkRecord {
  return {
    id: network.id, name: network.spec.name, driver: 'overlay', bridge: '', subnet: network.subnet, gateway: network.gateway,
    internal: network.spec.internal, userSubnet: true, options: { ...network.spec.driverOptions, [VXLAN_ID_OPTION]: String(network.vni) },
    labels: network.spec.labels, createdAt: network.createdAt, enableIPv6: false, attachable: network.spec.attachable,
  };
}

export function swarmNetworkView(network: ClusterNetwork): SwarmNetwork {
  const configs = [{ Subnet: network.subnet, Gateway: network.gateway }];
  return {
    ID: network.id,
    Version: { Index: network.version },
    CreatedAt: network.createdAt,
    UpdatedAt: network.updatedAt,
    Spec: {
      Name: network.spec.name,
      Labels: { ...network.spec.labels },
      DriverConfiguration: { Name: 'overlay', ...(Object.keys(network.spec.driverOptions).length > 0 ? { Options: { ...network.spec.driverOptions } } : {}) },
      IPAMOptions: { Driver: { Name: 'default' }, Configs: configs },
      ...(network.spec.internal ? { Internal: true } : {}),
      ...(network.spec.attachable ? { Attachable: true } : {}),
      Scope: 'swarm',
    },
    DriverState: { Name: 'overlay', Options: { [VXLAN_ID_OPTION]: String(network.vni) } },
    IPAMOptions: { Driver: { Name: 'default' }, Configs: configs },
  };
}
