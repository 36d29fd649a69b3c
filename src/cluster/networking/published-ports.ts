/**
 * Which ports a service publishes through the routing mesh, pure: an ingress port is the
 * cluster's, held by one service at a time (a claim `tcp-8080` → service id, stored as a
 * `published-port` object); one given without a number gets the lowest free from 30000 (Swarm's
 * range). Host-mode ports are each node's business and claim nothing here.
 */
import { BerthError, errors } from '../../base/errors.js';
import { DYNAMIC_PORT_FIRST, DYNAMIC_PORT_LAST, portKey, type PortProtocol, type PublishedPort } from '../objects/published-port.js';

export interface PortPlan {
  /** The ports with every ingress one numbered. */
  readonly ports: PublishedPort[];
  /** Claim ids to write for this service (not held yet). */
  readonly claim: string[];
  /** Claim ids this service holds and no longer needs. */
  readonly release: string[];
}

/** The `published-port` object id of a port. */
export function claimId(protocol: PortProtocol, port: number): string {
  return `${protocol}-${String(port)}`;
}

/**
 * The wanted ports with each unnumbered ingress port given the number it was assigned before
 * (same protocol and target port), so an update keeps a service's dynamic ports.
 */
export function keepAssigned(wanted: readonly PublishedPort[], assigned: readonly PublishedPort[]): PublishedPort[] {
  const left = assigned.filter((p) => p.publishMode === 'ingress' && p.publishedPort !== undefined);
  return wanted.map((port) => {
    if (port.publishMode !== 'ingress' || port.publishedPort !== undefined) return port;
    const i = left.findIndex((p) => p.protocol === port.protocol && p.targetPort === port.targetPort && !wanted.some((w) => w.publishedPort === p.publishedPort && w.protocol === p.protocol));
    if (i < 0) return port;
    const [match] = left.splice(i, 1);
    return match === undefined ? port : { ...port, publishedPort: match.publishedPort };
  });
}

/**
 * Plans `wanted` for `serviceId` against the claims (id → holding service id). Throws
 * invalid-argument `duplicate-published-port` naming the field for a port given twice, conflict
 * `port-in-use` naming the service that holds one, resource-exhausted when no dynamic port is left.
 */
export function planPublishedPorts(serviceId: string, wanted: readonly PublishedPort[], claims: ReadonlyMap<string, string>, serviceName: (id: string) => string): PortPlan {
  const mine = new Set([...claims].filter(([, holder]) => holder === serviceId).map(([id]) => id));
  const taken = new Set<string>();
  wanted.forEach((port, i) => {
    if (port.publishedPort === undefined) return;
    const key = `${port.publishMode}:${claimId(port.protocol, port.publishedPort)}`;
    if (taken.has(key)) {
      throw errors.invalidArgument('duplicate-published-port', `ports[${String(i)}]: port ${portKey(port.protocol, port.publishedPort)} is published twice`, { details: { field: `ports[${String(i)}]` } });
    }
    taken.add(key);
    if (port.publishMode !== 'ingress') return;
    const holder = claims.get(claimId(port.protocol, port.publishedPort));
    if (holder !== undefined && holder !== serviceId) {
      throw errors.conflict('port-in-use', `port ${portKey(port.protocol, port.publishedPort)} is already published by service ${serviceName(holder)}`);
    }
  });
  const used = new Set([...claims.keys(), ...[...taken].map((k) => k.slice(k.indexOf(':') + 1))]);
  const ports = wanted.map((port) => {
    if (port.publishMode !== 'ingress' || port.publishedPort !== undefined) return port;
    const free = freeDynamicPort(port.protocol, used);
    used.add(claimId(port.protocol, free));
    return { ...port, publishedPort: free };
  });
  const needed = new Set(ports.flatMap((p) => (p.publishMode === 'ingress' && p.publishedPort !== undefined ? [claimId(p.protocol, p.publishedPort)] : [])));
  return { ports, claim: [...needed].filter((id) => !mine.has(id)), release: [...mine].filter((id) => !needed.has(id)) };
}

/** The lowest dynamic port nobody holds (a service keeps its own through `keepAssigned`). */
function freeDynamicPort(protocol: PortProtocol, used: ReadonlySet<string>): number {
  for (let port = DYNAMIC_PORT_FIRST; port <= DYNAMIC_PORT_LAST; port++) if (!used.has(claimId(protocol, port))) return port;
  throw new BerthError('resource-exhausted', 'published-ports-exhausted', `every port from ${String(DYNAMIC_PORT_FIRST)} to ${String(DYNAMIC_PORT_LAST)} is published: give one with published=`);
}
