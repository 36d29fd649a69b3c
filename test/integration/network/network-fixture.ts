// Helpers of the networking tests: long-running containers on networks, one-shot clients, a free
// loopback port, and what a state root left on the host (bridges, namespaces, leases, rules).
import { execFileSync } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { ContainerNetworkRequest } from '../../../src/network/container-network.js';
import type { EngineFixture, RunResult } from '../engine/engine-fixture.js';

export const WEB_CMD = (text: string): string[] => ['sh', '-c', `mkdir -p /www && echo ${text} > /www/index.html && exec httpd -f -p 80 -h /www`];

export async function startOn(f: EngineFixture, name: string, network: ContainerNetworkRequest, cmd: string[]): Promise<string> {
  const id = await f.create({ cmd }, { name, network });
  await f.engine.start(id);
  return id;
}

export async function runOn(f: EngineFixture, network: ContainerNetworkRequest, script: string): Promise<RunResult> {
  return f.run({ cmd: ['sh', '-c', script] }, { network });
}

export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => { resolve(typeof address === 'object' && address !== null ? address.port : 0); });
    });
  });
}

function run(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8' });
  } catch {
    return '';
  }
}

/** What the root's networks leave on the host: their bridges and veths, rules (IPv4 and IPv6) naming them, namespaces, leases. */
export async function networkLeftovers(f: EngineFixture, bridges: string[], subnets: string[]): Promise<{ links: string[]; rules: string[]; netns: string[]; leases: string[] }> {
  const dir = f.services.networks.attachments;
  const links = run('ip', ['-o', 'link', 'show']).split('\n').filter((l) => bridges.some((b) => l.includes(b)));
  const prefixes = subnets.map((s) => s.split('/')[0]?.replace(/\.0$/, '.') ?? '');
  const saved = ['iptables-save', 'ip6tables-save'].flatMap((tool) => [...run(tool, []).split('\n'), ...run(tool, ['-t', 'nat']).split('\n')]);
  const rules = saved
    .filter((l) => bridges.some((b) => l.includes(b)) || prefixes.some((p) => p !== '' && l.includes(p)));
  const leases: string[] = [];
  for (const net of await readdir(dir.ipamDir).catch(() => [] as string[])) {
    for (const file of await readdir(`${dir.ipamDir}/${net}`).catch(() => [] as string[])) if (/^\d+\.\d+\.\d+\.\d+$/.test(file) || file.includes(':')) leases.push(`${net}/${file}`);
  }
  return { links, rules, netns: await readdir(dir.netnsDir).catch(() => []), leases };
}

const IPV6_FORWARDING = '/proc/sys/net/ipv6/conf/all/forwarding';

/**
 * The host's IPv6 forwarding switch, and a function that sets it back: the CNI bridge plugin turns
 * it on for the first network with IPv6 (as dockerd does) and nothing turns it off, so a test that
 * makes such networks leaves the host as it found it.
 */
export async function keepIpv6Forwarding(): Promise<() => Promise<void>> {
  const before = (await readFile(IPV6_FORWARDING, 'utf8').catch(() => '')).trim();
  return async () => {
    if (before !== '' && (await readFile(IPV6_FORWARDING, 'utf8').catch(() => '')).trim() !== before) await writeFile(IPV6_FORWARDING, `${before}\n`);
  };
}
