/**
 * What a legacy link (`--link web:db`, HostConfig.Links) gives the linking container, as dockerd
 * writes it: the environment (moby's `links.Link.ToEnv`) and the /etc/hosts line. Pure.
 */
import { posix } from 'node:path';

export interface LinkedPort {
  port: number;
  protocol: string;
}

/** The linked container as the linking one sees it. */
export interface LinkedContainer {
  /** `/<linking container's name>/<alias>`. */
  linkName: string;
  /** Its address on the default bridge network. */
  ip: string;
  /** Its Env (the image's merged with its own). */
  env: readonly string[];
  /** Its exposed ports (the image's and its own). */
  ports: readonly LinkedPort[];
}

/** Variables of the build that say nothing about the linked service, left out of `<ALIAS>_ENV_*`. */
const IGNORED_ENV = new Set(['HOME', 'HOSTNAME', 'PATH']);

/** By number; for the same number tcp first (dockerd's order, which also picks `<ALIAS>_PORT`). */
function sortPorts(ports: readonly LinkedPort[]): LinkedPort[] {
  return [...ports].sort((a, b) => a.port - b.port || (a.protocol === 'tcp' ? -1 : 0) + (b.protocol === 'tcp' ? 1 : 0));
}

/** moby's nextContiguous: the last index of the run of consecutive numbers from `index` (protocols ignored, as there). */
function runEnd(ports: readonly LinkedPort[], index: number): number {
  let value = ports[index]?.port ?? 0;
  for (let i = index + 1; i < ports.length; i++) {
    if ((ports[i]?.port ?? 0) > value + 1) return i - 1;
    value++;
  }
  return ports.length - 1;
}

/**
 * `<ALIAS>_PORT` (the lowest port), for a run of three or more consecutive ports
 * `<ALIAS>_PORT_<first>_<PROTO>_START/_ADDR/_PROTO/_PORT_START/_END/_PORT_END`, per port
 * `<ALIAS>_PORT_<n>_<PROTO>` with `_ADDR`, `_PORT`, `_PROTO`, then `<ALIAS>_NAME` and
 * `<ALIAS>_ENV_<key>` for the linked container's Env. ALIAS is the alias upper-cased, `-` → `_`.
 * A key may repeat (a run's first port); the environment keeps its first place.
 */
export function linkEnvironment(link: LinkedContainer): string[] {
  const alias = posix.basename(link.linkName).toUpperCase().replace(/-/g, '_');
  const ports = sortPorts(link.ports);
  const ip = link.ip;
  const env: string[] = [];
  const first = ports[0];
  if (first !== undefined) env.push(`${alias}_PORT=${first.protocol}://${ip}:${first.port}`);
  for (let i = 0; i < ports.length;) {
    const p = ports[i];
    const j = runEnd(ports, i);
    const q = ports[j];
    if (p !== undefined && q !== undefined && j > i + 1) {
      const key = `${alias}_PORT_${p.port}_${p.protocol.toUpperCase()}`;
      const endKey = `${alias}_PORT_${p.port}_${q.protocol.toUpperCase()}`;
      env.push(`${key}_START=${p.protocol}://${ip}:${p.port}`, `${key}_ADDR=${ip}`, `${key}_PROTO=${p.protocol}`, `${key}_PORT_START=${p.port}`);
      env.push(`${endKey}_END=${q.protocol}://${ip}:${q.port}`, `${endKey}_PORT_END=${q.port}`);
      i = j + 1;
    } else {
      i++;
    }
  }
  for (const p of ports) {
    const key = `${alias}_PORT_${p.port}_${p.protocol.toUpperCase()}`;
    env.push(`${key}=${p.protocol}://${ip}:${p.port}`, `${key}_ADDR=${ip}`, `${key}_PORT=${p.port}`, `${key}_PROTO=${p.protocol}`);
  }
  env.push(`${alias}_NAME=${link.linkName}`);
  for (const entry of link.env) {
    const at = entry.indexOf('=');
    if (at < 0 || IGNORED_ENV.has(entry.slice(0, at))) continue;
    env.push(`${alias}_ENV_${entry.slice(0, at)}=${entry.slice(at + 1)}`);
  }
  return env;
}

/**
 * The /etc/hosts line of a link: the linked container's address with the alias, its hostname,
 * and its name unless the alias is the name.
 */
export function linkHostsLine(alias: string, ip: string, hostname: string, name: string): string {
  const last = posix.basename(alias);
  return `${ip}\t${[last, hostname, ...(last === name ? [] : [name])].join(' ')}`;
}
