/**
 * Network policies inside a container's namespace (for `nft -f -`), pure. Table
 * `ip berth-pol-<id12>` guards the container's interface on one overlay: packets in through
 * another interface pass; replies to its own connections pass; a new connection passes when a
 * rule of a policy that guards the container's address allows it (source, protocol and port);
 * anything else is dropped, a new connection counted first in the named counter
 * `denied-<policy>` of every policy that guards the address. Without a guarding policy the table
 * is only removed (everything gets in).
 */
import type { OverlayPolicy } from '../wire/overlays.js';

/** The policy table's name of overlay `id` in a container's namespace. */
export function policyTable(id: string): string {
  return `berth-pol-${id.slice(0, 12)}`;
}

/** The named counter of a policy's denied connections. */
export function deniedCounter(policy: string): string {
  return `denied-${policy}`;
}

function ruleLines(rule: OverlayPolicy['Rules'][number]): string[] {
  if (rule.Sources?.length === 0) return []; // sources that have no address now: allows nothing
  const from = rule.Sources === null ? '' : `ip saddr { ${rule.Sources.join(', ')} } `;
  if (rule.Ports.length === 0) return [`${from}accept`];
  const lines: string[] = [];
  for (const protocol of ['tcp', 'udp'] as const) {
    const ports = [...new Set(rule.Ports.filter((p) => p.Protocol === protocol).map((p) => p.Port))].sort((a, b) => a - b);
    if (ports.length > 0) lines.push(`${from}${protocol} dport { ${ports.join(', ')} } accept`);
  }
  return lines;
}

/** Replaces the policy table of overlay `id` for the container whose interface `ifname` holds `address` there. */
export function policyScript(id: string, ifname: string, address: string, policies: readonly OverlayPolicy[]): string {
  const table = policyTable(id);
  const lines = [`table ip ${table}`, `delete table ip ${table}`];
  const guarding = policies.filter((p) => p.Targets.includes(address));
  if (guarding.length > 0) {
    lines.push(`table ip ${table} {`);
    for (const p of guarding) lines.push(`  counter ${deniedCounter(p.Name)} { }`);
    lines.push('  chain input {', '    type filter hook input priority 0; policy accept;', `    iifname != "${ifname}" accept`, '    ct state established,related accept');
    for (const p of guarding) for (const rule of p.Rules) lines.push(...ruleLines(rule).map((l) => `    ${l}`));
    lines.push(`    ct state new ${guarding.map((p) => `counter name "${deniedCounter(p.Name)}"`).join(' ')} drop`, '    drop', '  }', '}');
  }
  return `${lines.join('\n')}\n`;
}

/** The denied counts (by policy name) in `nft -j list counters table ip berth-pol-…` output. */
export function parseDenied(json: string): Map<string, number> {
  const parsed = JSON.parse(json) as { nftables?: { counter?: { name?: string; packets?: number } }[] };
  const out = new Map<string, number>();
  for (const entry of parsed.nftables ?? []) {
    const name = entry.counter?.name;
    if (name?.startsWith('denied-') === true) out.set(name.slice('denied-'.length), entry.counter?.packets ?? 0);
  }
  return out;
}
