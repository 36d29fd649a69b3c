// The Linux bridge a benchmark's private dockerd uses for its default network (`--bridge NAME`,
// with dockerd's iptables, masquerade and ip_forward handling off, so the host firewall is not
// touched): `berthbench0` with the first address of a private /24 from 172.30.250.0 upward that
// overlaps no host route (berth's own networks are 10.89.0.0 and up). Made at the start — after
// removing one a killed run left — and removed at the end.
import { ChildProcessRunner } from '../src/base/process-runner.js';
import { formatIpv4, overlaps, parseCidr, type Ipv4Block } from '../src/network/ipv4.js';
import { routeDestinations } from '../src/network/subnet-choice.js';

export const BENCH_BRIDGE = 'berthbench0';
const runner = new ChildProcessRunner();

async function exists(name: string): Promise<boolean> {
  return runner.run('ip', ['link', 'show', 'dev', name]).then(() => true, () => false);
}

/** Deletes the bridge if present (a leftover of a killed run, or at the end). */
export async function removeBenchBridge(name = BENCH_BRIDGE): Promise<void> {
  if (await exists(name)) await runner.run('ip', ['link', 'del', name]);
}

/** A fresh bridge, up, with `<first free 172.30.x.1>/24`; returns that CIDR address. */
export async function createBenchBridge(name = BENCH_BRIDGE): Promise<string> {
  await removeBenchBridge(name);
  const routes = routeDestinations((await runner.run('ip', ['-j', 'route', 'show', 'table', 'all'])).stdout)
    .map((r) => parseCidr(r.includes('/') ? r : `${r}/32`)).filter((b): b is Ipv4Block => b !== undefined);
  const first = parseCidr('172.30.250.0/24')?.base ?? 0;
  for (let base = first; base < first + 6 * 256; base += 256) {
    if (routes.some((r) => overlaps(r, { base, prefix: 24 }))) continue;
    const address = `${formatIpv4(base + 1)}/24`;
    await runner.run('ip', ['link', 'add', 'name', name, 'type', 'bridge']);
    try {
      await runner.run('ip', ['addr', 'add', address, 'dev', name]);
      await runner.run('ip', ['link', 'set', name, 'up']);
    } catch (err) {
      await removeBenchBridge(name).catch(() => undefined);
      throw err;
    }
    return address;
  }
  throw new Error('no free /24 in 172.30.250.0 – 172.30.255.0 for the benchmark bridge');
}
