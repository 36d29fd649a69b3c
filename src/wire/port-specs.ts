/**
 * Published ports: Docker's `-p [ip:][hostPort[-end]:]containerPort[-end][/proto]` strings and its
 * `HostConfig.PortBindings` map (`{"80/tcp": [{HostIp, HostPort}]}`), both turned into a flat list
 * of bindings. Pure.
 */
import { errors } from '../base/errors.js';
import { parseIpv4 } from './ipv4-address.js';

export type PortProtocol = 'tcp' | 'udp' | 'sctp';

export interface PortBinding {
  containerPort: number;
  protocol: PortProtocol;
  /** '' = every address of the host. */
  hostIp: string;
  /** 0 = a free port chosen at start. */
  hostPort: number;
}

/** Docker's wire shape of HostConfig.PortBindings. */
export type DockerPortBindings = Record<string, { HostIp?: string | null | undefined; HostPort?: string | null | undefined }[] | null>;

function bad(field: string, text: string, why: string): Error {
  return errors.invalidArgument('invalid-port-spec', `${field}: "${text}" ${why}`);
}

function parseRange(text: string, field: string, whole: string): [number, number] {
  const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text);
  if (match === null) throw bad(field, whole, 'is not a port or port range');
  const start = Number(match[1]);
  const end = match[2] === undefined ? start : Number(match[2]);
  if (start < 1 || end > 65535 || end < start) throw bad(field, whole, 'has a port outside 1-65535 or a reversed range');
  return [start, end];
}

function parseProtocol(text: string | undefined, field: string, whole: string): PortProtocol {
  const proto = (text ?? 'tcp').toLowerCase();
  if (proto !== 'tcp' && proto !== 'udp' && proto !== 'sctp') throw bad(field, whole, 'has an unknown protocol');
  return proto;
}

/** A host port: `''` or `0` (what testcontainers sends) is any free port, [0, 0]; otherwise as parseRange. */
function parseHostRange(text: string, field: string, whole: string): [number, number] {
  return text === '' || /^0+$/.test(text) ? [0, 0] : parseRange(text, field, whole);
}

/** `80`, `80/udp` → [80, 'udp'] (ranges expanded). */
export function parsePortKey(key: string, field = 'ExposedPorts'): { port: number; protocol: PortProtocol }[] {
  const [ports = '', proto] = key.split('/');
  const protocol = parseProtocol(proto, field, key);
  const [start, end] = parseRange(ports, field, key);
  const out: { port: number; protocol: PortProtocol }[] = [];
  for (let port = start; port <= end; port++) out.push({ port, protocol });
  return out;
}

/** One `-p` value. Throws invalid-argument (`invalid-port-spec`). */
export function parsePublishSpec(spec: string): PortBinding[] {
  const field = '--publish';
  const [body = '', proto, ...extra] = spec.split('/');
  if (extra.length > 0) throw bad(field, spec, 'has more than one protocol');
  const protocol = parseProtocol(proto, field, spec);
  const parts = body.split(':');
  let hostIp = '';
  let hostText = '';
  let containerText: string;
  if (parts.length === 1) containerText = parts[0] ?? '';
  else if (parts.length === 2) [hostText = '', containerText = ''] = parts;
  else if (parts.length === 3) [hostIp = '', hostText = '', containerText = ''] = parts;
  else throw bad(field, spec, 'has too many colons');
  if (hostIp !== '' && parseIpv4(hostIp) === undefined) throw bad(field, spec, 'has a host address that is not IPv4');
  const [cStart, cEnd] = parseRange(containerText, field, spec);
  const [hStart, hEnd] = parseHostRange(hostText, field, spec);
  const count = cEnd - cStart + 1;
  if (hStart !== 0 && hEnd - hStart + 1 !== count) throw bad(field, spec, 'maps ranges of different sizes');
  const out: PortBinding[] = [];
  for (let i = 0; i < count; i++) {
    const hostPort = hStart === 0 ? 0 : hStart + i;
    out.push({ containerPort: cStart + i, protocol, hostIp, hostPort });
  }
  return out;
}

/** Docker's PortBindings map → bindings. Throws invalid-argument naming HostConfig.PortBindings. */
export function fromDockerPortBindings(map: DockerPortBindings | null | undefined): PortBinding[] {
  const field = 'HostConfig.PortBindings';
  const out: PortBinding[] = [];
  for (const [key, list] of Object.entries(map ?? {})) {
    const container = parsePortKey(key, field);
    for (const entry of list ?? [{}]) {
      const hostIp = entry.HostIp ?? '';
      if (hostIp !== '' && hostIp !== '0.0.0.0' && parseIpv4(hostIp) === undefined) throw bad(field, hostIp, 'is not an IPv4 address');
      const hostText = entry.HostPort ?? '';
      const [hStart] = parseHostRange(hostText, field, hostText);
      container.forEach((c, i) => out.push({ containerPort: c.port, protocol: c.protocol, hostIp: hostIp === '0.0.0.0' ? '' : hostIp, hostPort: hStart === 0 ? 0 : hStart + i }));
    }
  }
  return out;
}

/** Bindings → Docker's PortBindings map (the shape `docker inspect` shows in HostConfig). */
export function toDockerPortBindings(bindings: readonly PortBinding[]): Record<string, { HostIp: string; HostPort: string }[]> {
  const out: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const b of bindings) {
    const key = `${b.containerPort}/${b.protocol}`;
    (out[key] ??= []).push({ HostIp: b.hostIp, HostPort: b.hostPort === 0 ? '' : String(b.hostPort) });
  }
  return out;
}

/** `-P`: adds a binding on a free host port for each exposed port (`80/tcp`, ranges) not bound yet. */
export function publishAllPorts(bindings: readonly PortBinding[], exposedPorts: Record<string, unknown> | null | undefined): PortBinding[] {
  const out = [...bindings];
  for (const key of Object.keys(exposedPorts ?? {})) {
    for (const { port, protocol } of parsePortKey(key, 'Config.ExposedPorts')) {
      if (!out.some((p) => p.containerPort === port && p.protocol === protocol)) out.push({ containerPort: port, protocol, hostIp: '', hostPort: 0 });
    }
  }
  return out;
}
