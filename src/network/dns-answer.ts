/**
 * What berth's embedded DNS answers, pure: container names, `--network-alias` names and short ids
 * of the containers sharing a network with the one asking (recognised by its source address), each
 * with its address on that network (A) or its IPv6 address there (AAAA); and the aliases of the
 * asker's own links on a network (`--link db:database` answers `database` to it alone). Names it
 * does not know are forwarded when they look like public names (they contain a dot);
 * single-label names get NXDOMAIN. On an overlay network, the names the cluster gave
 * (`OverlayState.Names`, A records in the order given) come first, then the local endpoints.
 */
import type { DecodedPacket, Packet } from 'dns-packet';
import { parseLink } from './endpoint-settings.js';
import type { EndpointRecord } from './network-store.js';
import type { OverlayName } from '../wire/overlays.js';
import { overlayNameAddresses } from './overlay-plan.js';

/** The names of overlay networks, by network id. */
export type OverlayNames = ReadonlyMap<string, readonly OverlayName[]>;
const NO_NAMES: OverlayNames = new Map();

export const NXDOMAIN = 3;
const TTL_S = 600;

function linkOf(link: string): [string, string] | undefined {
  try {
    return parseLink(link);
  } catch {
    return undefined; // checked when the container was created: an old record's bad link names nothing
  }
}

/** Addresses (IPv4, or IPv6 with `family` 6) of `name` for a query from `sourceIp`; empty when unknown. */
export function lookupName(endpoints: readonly EndpointRecord[], sourceIp: string, name: string, family: 4 | 6 = 4, overlays: OverlayNames = NO_NAMES): string[] {
  const wanted = name.replace(/\.$/, '').toLowerCase();
  const asker = new Set(endpoints.filter((e) => e.ip === sourceIp || (e.ip6 !== undefined && e.ip6 === sourceIp)).map((e) => e.containerId));
  const networks = new Set(endpoints.filter((e) => asker.has(e.containerId)).map((e) => e.networkId));
  const linked = new Set<string>();
  for (const e of endpoints) {
    if (!asker.has(e.containerId)) continue;
    for (const [target, alias] of (e.links ?? []).map(linkOf).filter((l) => l !== undefined)) {
      if (alias.toLowerCase() === wanted) linked.add(`${e.networkId}/${target.toLowerCase()}`);
    }
  }
  const ips: string[] = [];
  for (const id of family === 4 ? networks : []) {
    for (const ip of overlayNameAddresses(overlays.get(id) ?? [], wanted)) if (!ips.includes(ip)) ips.push(ip);
  }
  for (const e of endpoints) {
    if (!networks.has(e.networkId)) continue;
    const names = [e.containerName, ...e.aliases, e.containerId.slice(0, 12)].map((n) => n.toLowerCase());
    const ip = family === 4 ? e.ip : e.ip6 ?? '';
    const hit = names.includes(wanted) || linked.has(`${e.networkId}/${e.containerName.toLowerCase()}`);
    if (hit && ip !== '' && !ips.includes(ip)) ips.push(ip);
  }
  return ips;
}

/** The response to `query`, or 'forward' when the upstream resolvers should answer it. */
export function answerQuery(query: DecodedPacket, endpoints: readonly EndpointRecord[], sourceIp: string, overlays: OverlayNames = NO_NAMES): Packet | 'forward' {
  const question = query.questions?.[0];
  const base: Packet = { type: 'response', id: query.id ?? 0, flags: (query.flags ?? 0) & 0x0100, questions: query.questions ?? [] };
  if (question === undefined) return base;
  const v4 = lookupName(endpoints, sourceIp, question.name, 4, overlays);
  const v6 = lookupName(endpoints, sourceIp, question.name, 6, overlays);
  if (v4.length > 0 || v6.length > 0) {
    // A known name without an address of the asked type: no answers, no error (NODATA).
    const answers = question.type === 'A' ? v4.map((ip) => ({ type: 'A' as const, name: question.name, ttl: TTL_S, class: 'IN' as const, data: ip }))
      : question.type === 'AAAA' ? v6.map((ip) => ({ type: 'AAAA' as const, name: question.name, ttl: TTL_S, class: 'IN' as const, data: ip }))
        : [];
    return { ...base, flags: (base.flags ?? 0) | 0x0400 | 0x0080, answers };
  }
  if (question.name.replace(/\.$/, '').includes('.')) return 'forward';
  return { ...base, flags: (base.flags ?? 0) | 0x0080 | NXDOMAIN };
}
