/**
 * `berth network policy create` flags as a policy spec, pure (the manager validates it; the wire
 * shape is in wire/network-policies.ts): the target (`--target SERVICE` or `--target-label K=V`…)
 * and one allow rule from the `--from` and `--port` flags — or, with `-f FILE`, the spec read
 * from a YAML or JSON file (flags then refused, so nothing given is silently dropped).
 */
import { errors } from '../../base/errors.js';
import { keyValues } from './create-config.js';

export interface PolicyFlags {
  target?: string;
  targetLabel: string[];
  from: string[];
  port: string[];
  file?: string;
}

type Peer = { service: string } | { labels: Record<string, string> } | { cidr: string };

/** `--from api`, `--from label:tier=front`, `--from 10.250.0.0/16` (an address alone is a /32). */
export function policyPeer(value: string): Peer {
  if (value.startsWith('label:')) return { labels: keyValues([value.slice('label:'.length)], '--from', true) };
  if (/^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(value)) return { cidr: value.includes('/') ? value : `${value}/32` };
  return { service: value };
}

/** `--port 80`, `--port 53/udp`. */
export function policyPort(value: string): { protocol: string; port: number } {
  const match = /^(\d{1,5})(?:\/(tcp|udp))?$/.exec(value);
  if (match === null) throw errors.invalidArgument('invalid-flag', `--port ${value}: want PORT[/tcp|udp]`);
  return { protocol: match[2] ?? 'tcp', port: Number(match[1]) };
}

/** The spec the flags describe (`file`: that file's document, already read and parsed). */
export function policySpecFromFlags(name: string | undefined, flags: PolicyFlags, file?: { document: unknown }): Record<string, unknown> {
  if (file !== undefined) {
    const given = [flags.target !== undefined && '--target', flags.targetLabel.length > 0 && '--target-label', flags.from.length > 0 && '--from', flags.port.length > 0 && '--port'].filter((f) => f !== false);
    if (given.length > 0) throw errors.invalidArgument('invalid-flag', `-f: the file holds the whole policy; ${given.join(', ')} cannot be given with it`);
    const spec = file.document;
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw errors.invalidArgument('invalid-network-policy', '-f: the file is not a policy (want a mapping with name, target, ingress)');
    return { ...(spec as Record<string, unknown>), ...(name === undefined ? {} : { name }) };
  }
  if (name === undefined) throw errors.invalidArgument('invalid-flag', 'a policy name is required (or -f FILE)');
  if ((flags.target === undefined) === (flags.targetLabel.length === 0)) throw errors.invalidArgument('invalid-flag', 'give the services the policy guards: --target SERVICE or --target-label KEY=VALUE (not both)');
  const target = flags.target !== undefined ? { service: flags.target } : { labels: keyValues(flags.targetLabel, '--target-label') };
  const rules = flags.from.length === 0 && flags.port.length === 0 ? [] : [{ from: flags.from.map(policyPeer), ports: flags.port.map(policyPort) }];
  return { name, target, ingress: rules };
}
