/**
 * A node's share of an overlay network, on the wire: the body of `PUT /berth/v1/overlays/{id}`.
 * The cluster's agent sends the whole desired state of one overlay network on its node (the
 * network itself, the other nodes that carry it, the names its DNS answers and the virtual IPs it
 * balances); berthd makes the node match it. The same body again changes nothing.
 */
import { z } from 'zod';
import { parseIpv4 } from './ipv4-address.js';

const ipv4 = z.string().refine((s) => parseIpv4(s) !== undefined, { error: 'want an IPv4 address' });
const cidr4 = z.string().refine((s) => {
  const [address, prefix, ...rest] = s.split('/');
  if (rest.length > 0 || address === undefined || prefix === undefined || parseIpv4(address) === undefined) return false;
  const bits = Number(prefix);
  return /^\d{1,2}$/.test(prefix) && bits >= 8 && bits <= 30;
}, { error: 'want an IPv4 subnet such as 10.0.1.0/24 (prefix 8 to 30)' });

const cidr4OrAddress = z.string().refine((s) => {
  const [address, prefix, ...rest] = s.split('/');
  return rest.length === 0 && address !== undefined && parseIpv4(address) !== undefined && (prefix === undefined || (/^\d{1,2}$/.test(prefix) && Number(prefix) <= 32));
}, { error: 'want an IPv4 address or block' });

/** Highest VXLAN network identifier (24 bits). */
export const MAX_VNI = 0xff_ffff;

export const overlayNameSchema = z.object({
  /** A name containers on this network may look up (a service name, `tasks.<service>`, a task's container name, an alias). */
  Name: z.string().min(1).max(253),
  /** Its IPv4 addresses on this network (a virtual IP, or the tasks' addresses). */
  Addresses: z.array(ipv4).max(4096),
});

export const overlayBalancerSchema = z.object({
  /** The virtual IP clients on this network connect to. */
  Vip: ipv4,
  /** The addresses connections to it are spread over (healthy tasks); empty: nothing answers on the VIP. */
  Backends: z.array(ipv4).max(4096),
});

const port = z.number().int().min(1).max(65535);

/** A port published through the routing mesh: every node forwards it to one of the backends' target port. */
export const overlayPortSchema = z.object({
  Protocol: z.enum(['tcp', 'udp']),
  /** The port on every node's addresses. */
  Port: port,
  /** The port inside the tasks. */
  TargetPort: port,
  /** The running tasks' addresses on the ingress network; empty: connections are refused. */
  Backends: z.array(ipv4).max(4096),
});

/**
 * A network policy as one overlay carries it: the addresses (tasks of the services it selects)
 * it guards on this network, and its allow rules. An address no policy guards accepts everything.
 */
export const overlayPolicySchema = z.object({
  Name: z.string().min(1).max(63),
  Targets: z.array(ipv4).max(4096),
  Rules: z.array(z.object({
    /** IPv4 blocks or addresses connections may come from; null: from anywhere. */
    Sources: z.array(cidr4OrAddress).max(65536).nullable(),
    /** Empty: every port. */
    Ports: z.array(z.object({ Protocol: z.enum(['tcp', 'udp']), Port: port }).strict()).max(256),
  }).strict()).max(256),
}).strict();

export const overlayStateSchema = z.object({
  /** The cluster's network id (64 hex): the node's network record has the same id. */
  Id: z.string().regex(/^[0-9a-f]{64}$/, 'want 64 lowercase hex digits'),
  Name: z.string().min(1).max(255),
  Subnet: cidr4,
  /** The subnet's gateway: every node's bridge holds it (each node routes its own containers' traffic out). */
  Gateway: ipv4,
  /** VXLAN network identifier, the same on every node. */
  Vni: z.number().int().min(1).max(MAX_VNI),
  Internal: z.boolean(),
  Attachable: z.boolean(),
  Labels: z.record(z.string(), z.string()),
  /** The network's driver options as the user gave them (shown by inspect). */
  Options: z.record(z.string(), z.string()),
  /** This node's address on the underlay: the VXLAN tunnel's local end. */
  LocalAddress: ipv4,
  /** The underlay addresses of the other nodes that carry this network (the tunnel's far ends). */
  Peers: z.array(ipv4).max(4096),
  Names: z.array(overlayNameSchema).max(65536),
  Balancers: z.array(overlayBalancerSchema).max(65536),
  /**
   * The ingress network only (the routing mesh): the bridge holds this node's own address
   * (`Gateway`), no ARP guard keeps it off the tunnel, and each port is forwarded from every
   * address of the node to the backends, the client's address rewritten to the node's.
   */
  Ingress: z.object({ Ports: z.array(overlayPortSchema).max(4096) }).strict().optional(),
  /** The network policies that guard addresses on this network (absent: none). */
  Policies: z.array(overlayPolicySchema).max(4096).optional(),
}).strict();

export type OverlayState = z.infer<typeof overlayStateSchema>;
export type OverlayName = z.infer<typeof overlayNameSchema>;
export type OverlayBalancer = z.infer<typeof overlayBalancerSchema>;
export type OverlayPort = z.infer<typeof overlayPortSchema>;
export type OverlayPolicy = z.infer<typeof overlayPolicySchema>;

/** The answer of `PUT` and `GET /berth/v1/overlays/{id}`: the state applied (as last put). */
export type OverlayAnswer = OverlayState;
