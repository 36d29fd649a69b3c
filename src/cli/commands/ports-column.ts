/** The PORTS column of `ps`, as Docker prints it: `127.0.0.1:8080->80/tcp, 0.0.0.0:53->53/udp`. */

interface PortEntry { IP?: string; PrivatePort?: number; PublicPort?: number; Type?: string }

function isPortEntry(value: unknown): value is PortEntry {
  return typeof value === 'object' && value !== null && 'PrivatePort' in value;
}

export function portsColumn(ports: readonly unknown[]): string {
  return ports.filter(isPortEntry).map((p) => {
    const inside = `${p.PrivatePort ?? ''}/${p.Type ?? 'tcp'}`;
    return p.PublicPort === undefined || p.PublicPort === 0 ? inside : `${p.IP ?? '0.0.0.0'}:${p.PublicPort}->${inside}`;
  }).join(', ');
}
