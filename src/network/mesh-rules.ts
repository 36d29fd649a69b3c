/**
 * The routing mesh's nftables table on a node (for `nft -f -`), pure. Table `ip berth-mesh-<id12>`
 * of the ingress network:
 *
 * - nat prerouting and output: a connection to any of the node's own addresses on a published
 *   port is DNATed to one of the port's backends (`numgen inc`, round robin; conntrack keeps a
 *   connection on its backend), wherever in the cluster the backend runs: the ingress bridge
 *   reaches every task on the network through the tunnel;
 * - nat postrouting: such a connection leaves through the ingress bridge masqueraded to the
 *   node's own address there, so the task's replies come back through this node and its
 *   conntrack (the client's address is not kept: publish in `host` mode to keep it);
 * - filter input: a published port without backends is refused (TCP reset, else ICMP port
 *   unreachable) rather than answered by whatever listens on the node.
 *
 * One script replaces the table in one transaction; with no ports the table is only removed.
 */
import type { OverlayPort } from '../wire/overlays.js';
import { overlayDevices } from './overlay-plan.js';

/** The mesh table's name of ingress network `id`. */
export function meshTable(id: string): string {
  return `berth-mesh-${id.slice(0, 12)}`;
}

/** `tcp dport 8080 dnat ip to …` for one port with backends. */
function dnatRule(port: OverlayPort): string {
  const backends = [...new Set(port.Backends)];
  const to = backends.length === 1
    ? `${backends[0] ?? ''}:${String(port.TargetPort)}`
    : `numgen inc mod ${String(backends.length)} map { ${backends.map((b, i) => `${String(i)} : ${b} . ${String(port.TargetPort)}`).join(', ')} }`;
  return `${port.Protocol} dport ${String(port.Port)} dnat ip to ${to}`;
}

/** Replaces the mesh table of ingress network `id` with one forwarding `ports` (a port given twice: the first counts). */
export function meshScript(id: string, ports: readonly OverlayPort[]): string {
  const table = meshTable(id);
  const lines = [`table ip ${table}`, `delete table ip ${table}`];
  const unique = new Map<string, OverlayPort>();
  for (const port of ports) if (!unique.has(`${port.Protocol}/${String(port.Port)}`)) unique.set(`${port.Protocol}/${String(port.Port)}`, port);
  if (unique.size === 0) return `${lines.join('\n')}\n`;
  const { bridge } = overlayDevices(id);
  const served = [...unique.values()].filter((p) => p.Backends.length > 0);
  const empty = [...unique.values()].filter((p) => p.Backends.length === 0);
  lines.push(`table ip ${table} {`);
  lines.push('  chain ports {', ...served.map((p) => `    ${dnatRule(p)}`), '  }');
  lines.push('  chain prerouting {', '    type nat hook prerouting priority dstnat; policy accept;', '    fib daddr type local jump ports', '  }');
  lines.push('  chain output {', '    type nat hook output priority -100; policy accept;', '    fib daddr type local jump ports', '  }');
  lines.push('  chain postrouting {', '    type nat hook postrouting priority srcnat; policy accept;', `    oifname "${bridge}" ct status dnat masquerade`, '  }');
  if (empty.length > 0) {
    lines.push('  chain refuse {', '    type filter hook input priority 0; policy accept;');
    for (const p of empty) lines.push(p.Protocol === 'tcp' ? `    tcp dport ${String(p.Port)} reject with tcp reset` : `    udp dport ${String(p.Port)} reject`);
    lines.push('  }');
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
