import { z } from 'zod';
import { labelsSchema, objectMetaSchema } from './object-meta.js';

/**
 * A cluster network: an overlay network (VXLAN between the nodes that run its tasks) that every
 * node of the cluster shares, as Swarm's `docker network create -d overlay`. Its subnet and VXLAN
 * id are the cluster's to choose (or the subnet as given); each task on it gets an address of the
 * subnet from the leader, unique cluster-wide, and each service on it in endpoint mode `vip` a
 * virtual IP.
 */

/** Swarm's network names: a letter or digit, then letters, digits, `_`, `.`, `-`. */
export const networkNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$/, {
  error: 'a network name is letters, digits, "_", "." or "-", starting with a letter or digit',
});

export const networkSpecSchema = z.object({
  name: networkNameSchema,
  labels: labelsSchema.default({}),
  /** The driver's options as given (`--opt`); `encrypted` (IPsec between nodes) is refused at create for now. */
  driverOptions: z.record(z.string(), z.string()).default({}),
  /** No route out of the subnet: tasks reach only each other. */
  internal: z.boolean().default(false),
  /** Plain containers may join it (`docker run --network`), not only service tasks. */
  attachable: z.boolean().default(false),
  /** The subnet and gateway as the user gave them (`--subnet`, `--gateway`). */
  ipam: z.object({ subnet: z.string().optional(), gateway: z.string().optional() }).default({}),
  /** The routing mesh's network (Swarm's `ingress`): every node carries it, tasks of services that publish ports join it. */
  ingress: z.boolean().default(false),
});
export type NetworkSpec = z.infer<typeof networkSpecSchema>;
export type NetworkSpecInput = z.input<typeof networkSpecSchema>;

export const clusterNetworkSchema = objectMetaSchema.extend({
  spec: networkSpecSchema,
  /** The subnet in use (as given, or chosen), `10.0.1.0/24`. */
  subnet: z.string(),
  gateway: z.string(),
  /** The VXLAN network identifier, the same on every node. */
  vni: z.number().int().positive(),
  /** The ingress network only: each node's own address on it (by node id), where the mesh's connections come from. */
  nodeAddresses: z.record(z.string(), z.string()).default({}),
});
export type ClusterNetwork = z.infer<typeof clusterNetworkSchema>;

/** The driver option that asks for the kernel's IPsec between nodes (Swarm's); refused: berth does not encrypt overlays yet. */
export const ENCRYPTED_OPTION = 'encrypted';

/** One network a service's tasks join, with the names it is known by there besides its own. */
export const serviceNetworkSchema = z.object({
  /** The network's id (names are resolved to ids when the service is written). */
  target: z.string().min(1),
  aliases: z.array(z.string().min(1)).default([]),
  /** The ingress network, which the cluster adds for published ports (not shown as the user's). */
  ingress: z.boolean().optional(),
});
export type ServiceNetwork = z.infer<typeof serviceNetworkSchema>;

/** How clients find a service's tasks: one virtual IP balanced by the kernel, or DNS round robin over the tasks. */
export const ENDPOINT_MODES = ['vip', 'dnsrr'] as const;
export type EndpointMode = (typeof ENDPOINT_MODES)[number];

/** An address of a task or service on one network (`10.0.1.5/24`). */
export const networkAddressSchema = z.object({
  networkId: z.string().min(1),
  /** With the subnet's prefix length, as Swarm shows it. */
  address: z.string().min(1),
});
export type NetworkAddress = z.infer<typeof networkAddressSchema>;
