/**
 * What berth's embedded DNS answers, pure: container names, `--network-alias` names and short ids
 * of the containers sharing a network with the one asking (recognised by its source address), each
 * with its address on that network. Names it does not know are forwarded when they look like
 * public names (they contain a dot); single-label names get NXDOMAIN.
 */
import type { DecodedPacket, Packet } from 'dns-packet';
import type { EndpointRecord } from './network-store.js';

export const NXDOMAIN = 3;
const TTL_S = 600;

/** Addresses of `name` for a query from `sourceIp`; empty when unknown. */
export function lookupName(endpoints: readonly EndpointRecord[], sourceIp: string, name: string): string[] {
  const wanted = name.replace(/\.$/, '').toLowerCase();
  const asker = endpoints.filter((e) => e.ip === sourceIp).map((e) => e.containerId);
  const networks = new Set(endpoints.filter((e) => asker.includes(e.containerId)).map((e) => e.networkId));
  const ips: string[] = [];
  for (const e of endpoints) {
    if (!networks.has(e.networkId)) continue;
    const names = [e.containerName, ...e.aliases, e.containerId.slice(0, 12)].map((n) => n.toLowerCase());
    if (names.includes(wanted) && !ips.includes(e.ip)) ips.push(e.ip);
  }
  return ips;
}

/** The response to `query`, or 'forward' when the upstream resolvers should answer it. */
export function answerQuery(query: DecodedPacket, endpoints: readonly EndpointRecord[], sourceIp: string): Packet | 'forward' {
  const question = query.questions?.[0];
  const base: Packet = { type: 'response', id: query.id ?? 0, flags: (query.flags ?? 0) & 0x0100, questions: query.questions ?? [] };
  if (question === undefined) return base;
  const ips = lookupName(endpoints, sourceIp, question.name);
  if (ips.length > 0) {
    const answers = question.type === 'A'
      ? ips.map((ip) => ({ type: 'A' as const, name: question.name, ttl: TTL_S, class: 'IN' as const, data: ip }))
      : [];
    return { ...base, flags: (base.flags ?? 0) | 0x0400 | 0x0080, answers };
  }
  if (question.name.replace(/\.$/, '').includes('.')) return 'forward';
  return { ...base, flags: (base.flags ?? 0) | 0x0080 | NXDOMAIN };
}
