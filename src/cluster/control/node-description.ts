import { cpus, networkInterfaces, totalmem } from 'node:os';
import { errors } from '../../base/errors.js';
import { BERTH_VERSION } from '../../base/version.js';
import { NANO_CPUS_PER_CPU } from '../objects/object-meta.js';
import type { NodeDescription } from '../objects/node.js';

const ARCH: Readonly<Record<string, string>> = { x64: 'x86_64', arm64: 'aarch64', arm: 'armv7l' };

/** What this machine offers, as the node reports it when it joins. */
export function describeThisNode(hostname: string): NodeDescription {
  return {
    hostname,
    platform: { os: 'linux', arch: ARCH[process.arch] ?? process.arch },
    resources: { nanoCpus: cpus().length * NANO_CPUS_PER_CPU, memoryBytes: totalmem() },
    engineLabels: {},
    engineVersion: BERTH_VERSION,
  };
}

/** The address other nodes reach this one at: the given one, else the first non-loopback IPv4. */
export function advertiseAddress(given: string | undefined): string {
  if (given !== undefined && given !== '') {
    const host = given.replace(/:\d+$/, '');
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) throw errors.invalidArgument('invalid-advertise-addr', `advertise address ${given}: want an IPv4 address (optionally :port)`);
    return host;
  }
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) if (address.family === 'IPv4' && !address.internal) return address.address;
  }
  throw errors.failedPrecondition('no-advertise-addr', 'this machine has no IPv4 address other nodes could reach: give --advertise-addr');
}

/** `host[:port]` of a listen address, with defaults. */
export function listenAddress(given: string | undefined, defaultPort: number): { host: string; port: number } {
  if (given === undefined || given === '') return { host: '0.0.0.0', port: defaultPort };
  const match = /^(\d{1,3}(?:\.\d{1,3}){3})?(?::(\d{1,5}))?$/.exec(given);
  const port = Number(match?.[2] ?? defaultPort);
  if (match === null || port < 1 || port > 65535) throw errors.invalidArgument('invalid-listen-addr', `listen address ${given}: want IPv4[:port]`);
  return { host: match[1] ?? '0.0.0.0', port };
}
