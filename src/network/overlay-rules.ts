/**
 * The nftables scripts (for `nft -f -`) of overlay networks, pure:
 *
 * - the ARP guard on the host: every node's bridge holds the same gateway address, so ARP whose
 *   sender or target is that gateway must never cross the tunnel. In the bridge family table
 *   `berth-overlay`, each overlay has three base chains of its own (`in-`, `fwd-`, `out-<id12>`:
 *   hooks input, forward, output) dropping such ARP in and out of its VXLAN port. Chains per
 *   overlay, so networks (and state roots) never rewrite each other's rules; the table goes with
 *   its last chain.
 * - the balancers inside a container's namespace: table `ip berth-lb-<id12>` DNATs new
 *   connections to a virtual IP to one of its backends (`numgen inc`, round robin; conntrack keeps
 *   a connection on its backend) in the output nat hook, and rejects connections to a virtual IP
 *   without backends (TCP reset, else ICMP host unreachable). One script replaces the table in one
 *   transaction.
 */
import type { OverlayBalancer } from '../wire/overlays.js';
import { overlayDevices } from './overlay-plan.js';

export const ARP_GUARD_TABLE = 'berth-overlay';
const GUARD_CHAINS = [['in', 'input'], ['fwd', 'forward'], ['out', 'output']] as const;

/** The names of an overlay's ARP guard chains. */
export function arpGuardChains(id: string): string[] {
  return GUARD_CHAINS.map(([prefix]) => `${prefix}-${id.slice(0, 12)}`);
}

/** Makes (or remakes, idempotently) the ARP guard chains of overlay `id` whose gateway is `gateway`. */
export function arpGuardScript(id: string, gateway: string): string {
  const { vxlan } = overlayDevices(id);
  const lines = [`add table bridge ${ARP_GUARD_TABLE}`];
  for (const [prefix, hook] of GUARD_CHAINS) {
    const chain = `${prefix}-${id.slice(0, 12)}`;
    lines.push(`add chain bridge ${ARP_GUARD_TABLE} ${chain} { type filter hook ${hook} priority 0; policy accept; }`);
    lines.push(`flush chain bridge ${ARP_GUARD_TABLE} ${chain}`);
    const ports = hook === 'input' ? ['iifname'] : hook === 'output' ? ['oifname'] : ['iifname', 'oifname'];
    for (const port of ports) {
      for (const field of ['saddr', 'daddr']) lines.push(`add rule bridge ${ARP_GUARD_TABLE} ${chain} ${port} "${vxlan}" arp ${field} ip ${gateway} drop`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Removes the ARP guard chains of overlay `id` (whether they exist or not). */
export function arpGuardRemoveScript(id: string): string {
  const chains = arpGuardChains(id);
  return [`add table bridge ${ARP_GUARD_TABLE}`, ...chains.map((c) => `add chain bridge ${ARP_GUARD_TABLE} ${c}`),
    ...chains.map((c) => `delete chain bridge ${ARP_GUARD_TABLE} ${c}`)].join('\n').concat('\n');
}

/** The balancer table's name of overlay `id` in a container's namespace. */
export function balancerTable(id: string): string {
  return `berth-lb-${id.slice(0, 12)}`;
}

/**
 * Replaces the balancer table of overlay `id` in one transaction (declared, so the delete never
 * fails, deleted, and made anew with the balancers); with no balancers the table is only removed.
 * A virtual IP given twice: the first entry counts.
 */
export function balancerScript(id: string, balancers: readonly OverlayBalancer[]): string {
  const table = balancerTable(id);
  const lines = [`table ip ${table}`, `delete table ip ${table}`];
  const byVip = new Map<string, OverlayBalancer>();
  for (const b of balancers) if (!byVip.has(b.Vip)) byVip.set(b.Vip, b);
  const unique = [...byVip.values()];
  if (unique.length > 0) {
    lines.push(`table ip ${table} {`, '  chain nat-output {', '    type nat hook output priority -100; policy accept;');
    for (const { Vip, Backends } of unique) {
      const backends = [...new Set(Backends)];
      if (backends.length === 1) lines.push(`    ip daddr ${Vip} dnat to ${backends[0] ?? ''}`);
      else if (backends.length > 1) lines.push(`    ip daddr ${Vip} dnat to numgen inc mod ${backends.length} map { ${backends.map((b, i) => `${i} : ${b}`).join(', ')} }`);
    }
    lines.push('  }');
    const empty = unique.filter((b) => b.Backends.length === 0).map((b) => b.Vip);
    if (empty.length > 0) {
      const set = `{ ${empty.join(', ')} }`;
      lines.push('  chain filter-output {', '    type filter hook output priority 0; policy accept;',
        `    ip daddr ${set} meta l4proto tcp reject with tcp reset`, `    ip daddr ${set} reject with icmp type host-unreachable`, '  }');
    }
    lines.push('}');
  }
  return `${lines.join('\n')}\n`;
}
