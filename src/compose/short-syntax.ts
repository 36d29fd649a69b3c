/**
 * The short forms of the Compose Specification turned into their long forms, so that files merge
 * field by field and the model has one shape: `ports` strings, `volumes` strings, `secrets` and
 * `configs` names, list-or-map fields (`environment`, `labels`, …), and `depends_on` lists.
 */
import { isAbsolute, resolve } from 'node:path';
import { homedir } from 'node:os';
import { FieldValueError, type FieldPath } from './field-error.js';

export interface PortConfig {
  target: number;
  published?: string;
  host_ip?: string;
  protocol: string;
  /** The long form's `mode`: `ingress` (a cluster's routing mesh) or `host`. */
  mode?: string;
}

export interface VolumeMountConfig {
  type: 'volume' | 'bind' | 'tmpfs';
  source?: string;
  target: string;
  read_only?: boolean;
  tmpfs?: { size?: number | string };
}

export interface FileRefConfig {
  source: string;
  target?: string;
  mode?: number;
}

/** `list_or_dict`: `["A=1", "B"]` or `{A: 1, B: null}` → a map (a bare `B` maps to null). */
export function listOrDict(value: unknown, separator = '='): Record<string, string | null> {
  if (value === undefined || value === null) return {};
  if (Array.isArray(value)) {
    return Object.fromEntries(value.map((entry) => {
      const text = String(entry);
      const at = text.indexOf(separator);
      return at < 0 ? [text, null] : [text.slice(0, at), text.slice(at + separator.length)];
    }));
  }
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, v === null || v === undefined ? null : typeof v === 'object' ? JSON.stringify(v) : String(v as string | number | boolean)]));
}

const PROTOCOLS = new Set(['tcp', 'udp', 'sctp']);

/** `80` or `8000-8010` → [first, last]; undefined when it is not a port or a range of ports. */
function portRange(text: string): [number, number] | undefined {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (match === null) return undefined;
  const first = Number(match[1]);
  const last = match[2] === undefined ? first : Number(match[2]);
  return first <= last && last <= 65535 ? [first, last] : undefined;
}

/** `"8080:80"`, `"127.0.0.1:8080:80/udp"`, `80`, or the long form → long forms (ranges expanded). `where`: the field's path. */
export function parsePorts(value: unknown, where: FieldPath): PortConfig[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry, index): PortConfig[] => {
    if (typeof entry === 'object' && entry !== null) {
      const long = entry as { target: number; published?: string | number; host_ip?: string; protocol?: string; mode?: string };
      return [{
        target: long.target, protocol: long.protocol ?? 'tcp',
        ...(long.published === undefined ? {} : { published: String(long.published) }),
        ...(long.host_ip === undefined ? {} : { host_ip: long.host_ip }),
        ...(long.mode === undefined ? {} : { mode: long.mode }),
      }];
    }
    const text = String(entry);
    const invalid = (): FieldValueError => new FieldValueError('compose-port', [...where, index], `invalid port "${text}"`);
    const [spec = '', protocol = 'tcp', ...extra] = text.split('/');
    if (extra.length > 0 || !PROTOCOLS.has(protocol)) throw invalid();
    const parts = spec.startsWith('[') ? [spec.slice(0, spec.indexOf(']') + 1), ...spec.slice(spec.indexOf(']') + 2).split(':')] : spec.split(':');
    const container = parts.pop() ?? '';
    const published = parts.pop();
    // What is left is the host address (an IPv6 one may come without brackets, as docker takes it).
    const hostIp = parts.length === 0 ? undefined : parts.join(':').replace(/^\[|\]$/g, '');
    const range = portRange(container);
    if (range === undefined) throw invalid();
    const [first, last] = range;
    const pubRange = published === undefined || published === '' ? undefined : portRange(published);
    if (published !== undefined && published !== '' && pubRange === undefined) throw invalid();
    return Array.from({ length: last - first + 1 }, (_, i) => ({
      target: first + i, protocol,
      ...(published === undefined || published === '' ? {} : { published: pubRange === undefined || pubRange[0] === pubRange[1] ? published : String(pubRange[0] + i) }),
      ...(hostIp === undefined || hostIp === '' ? {} : { host_ip: hostIp }),
    }));
  });
}

/** A relative host path (`./data`, `../x`, `~/y`) resolved against the file's directory. */
export function hostPath(path: string, baseDir: string): string {
  if (path === '~' || path.startsWith('~/')) return resolve(homedir(), path.slice(2));
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

/**
 * `"data:/var/lib/x:ro"`, `"./src:/src"`, `"/cache"` or the long form → long forms, bind sources
 * absolute. A short form is `[source:]target[:options]` with no empty part (docker compose's rules;
 * options it does not know are ignored as it does). `where`: the field's path.
 */
export function parseVolumes(value: unknown, baseDir: string, where: FieldPath): VolumeMountConfig[] {
  if (!Array.isArray(value)) return [];
  return value.map((entry, index): VolumeMountConfig => {
    if (typeof entry === 'object' && entry !== null) {
      const long = { ...(entry as VolumeMountConfig) };
      if (long.type === 'bind' && long.source !== undefined) long.source = hostPath(long.source, baseDir);
      return long;
    }
    const text = String(entry);
    const parts = text.split(':');
    const problem = text === '' ? 'invalid empty volume spec'
      : parts.length > 3 ? `invalid volume "${text}": too many colons`
        : parts.includes('') ? `invalid volume "${text}": empty section between colons` : undefined;
    if (problem !== undefined) throw new FieldValueError('compose-volume', [...where, index], problem);
    if (parts.length === 1) return { type: 'volume', target: parts[0] ?? '' };
    const [source = '', target = '', mode = ''] = parts;
    const bind = source.startsWith('.') || source.startsWith('/') || source.startsWith('~');
    const readOnly = mode.split(',').includes('ro');
    return { type: bind ? 'bind' : 'volume', source: bind ? hostPath(source, baseDir) : source, target, ...(readOnly ? { read_only: true } : {}) };
  });
}

/** `secrets:`/`configs:` of a service: names or long forms → long forms. */
export function parseFileRefs(value: unknown): FileRefConfig[] {
  if (!Array.isArray(value)) return [];
  return value.map((entry) => (typeof entry === 'string' ? { source: entry } : { ...(entry as FileRefConfig) }));
}

export interface DependencyConfig {
  condition: 'service_started' | 'service_healthy' | 'service_completed_successfully';
  required: boolean;
  restart: boolean;
}

const CONDITIONS: readonly string[] = ['service_started', 'service_healthy', 'service_completed_successfully'];

/** `depends_on`: a list of names or the long form → the long form. `where`: the field's path. */
export function parseDependsOn(value: unknown, where: FieldPath): Record<string, DependencyConfig> {
  if (value === undefined || value === null) return {};
  if (Array.isArray(value)) return Object.fromEntries(value.map((name) => [String(name), { condition: 'service_started', required: true, restart: false }]));
  return Object.fromEntries(Object.entries(value as Record<string, Partial<DependencyConfig> | null>).map(([name, given]) => {
    const dep: Record<string, unknown> = given ?? {};
    const condition = dep.condition ?? 'service_started';
    if (typeof condition !== 'string' || !CONDITIONS.includes(condition)) {
      throw new FieldValueError('compose-depends-on', [...where, name, 'condition'], `must be one of ${CONDITIONS.join(', ')}`);
    }
    for (const flag of ['required', 'restart']) {
      if (dep[flag] !== undefined && typeof dep[flag] !== 'boolean') throw new FieldValueError('compose-depends-on', [...where, name, flag], 'must be boolean');
    }
    return [name, { condition: condition as DependencyConfig['condition'], required: dep.required !== false, restart: dep.restart === true }];
  }));
}

export interface ServiceNetworkConfig {
  aliases?: string[];
  priority?: number;
  ipv4_address?: string;
  ipv6_address?: string;
}

/** A service's `networks`: a list of names or a map → a map. */
export function parseServiceNetworks(value: unknown): Record<string, ServiceNetworkConfig> {
  if (value === undefined || value === null) return {};
  if (Array.isArray(value)) return Object.fromEntries(value.map((name) => [String(name), {}]));
  return Object.fromEntries(Object.entries(value as Record<string, ServiceNetworkConfig | null>).map(([name, net]) => [name, net ?? {}]));
}
