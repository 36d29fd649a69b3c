/**
 * Merging as the Compose Specification says, for several `-f` files, `extends` and `include`:
 * mappings merge key by key; list-or-map fields merge as maps; `ports`, `expose`, `dns`,
 * `cap_add`, … append without duplicates; `volumes`, `secrets` and `configs` merge by their
 * target path; `command`, `entrypoint` and other sequences are replaced. Services are first put in
 * canonical shape (short syntax → long form, host paths absolute against their own file's folder).
 */
import type { FieldPath } from './field-error.js';
import { hostPath, listOrDict, parseDependsOn, parseFileRefs, parsePorts, parseServiceNetworks, parseVolumes } from './short-syntax.js';

export type RawMap = Record<string, unknown>;

const isMap = (value: unknown): value is RawMap => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Lists that append (without duplicates) when files merge. */
const APPENDED = new Set(['ports', 'expose', 'dns', 'dns_search', 'cap_add', 'cap_drop', 'env_file', 'extra_hosts', 'devices', 'security_opt', 'tmpfs', 'external_links', 'group_add', 'profiles', 'links', 'volumes_from']);
/** Lists of mounts that merge by their target. */
const BY_TARGET = new Set(['volumes', 'secrets', 'configs']);
/** Fields given as a list or a map, merged as maps. */
const LIST_OR_DICT = new Set(['environment', 'labels', 'sysctls', 'annotations']);

/** Recursive merge of two mappings: `over` wins; sequences are replaced. */
export function mergeMaps(base: RawMap, over: RawMap): RawMap {
  const out: RawMap = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isMap(current) && isMap(value) ? mergeMaps(current, value) : value;
  }
  return out;
}

function targetOf(entry: unknown): string {
  if (!isMap(entry)) return JSON.stringify(entry);
  const target = entry.target;
  return typeof target === 'string' && target !== '' ? target : `/run/secrets/${String(entry.source)}`;
}

/**
 * A service in canonical shape. `baseDir` is the folder of the file that defines it, `where` the
 * service's path (`services.web`). Throws FieldValueError for a short form that does not parse.
 */
export function canonicalService(def: unknown, baseDir: string, where: FieldPath): RawMap {
  const service: RawMap = isMap(def) ? { ...def } : {};
  for (const key of LIST_OR_DICT) if (key in service) service[key] = listOrDict(service[key]);
  if ('ports' in service) service.ports = parsePorts(service.ports, [...where, 'ports']);
  if ('volumes' in service) service.volumes = parseVolumes(service.volumes, baseDir, [...where, 'volumes']);
  if ('secrets' in service) service.secrets = parseFileRefs(service.secrets);
  if ('configs' in service) service.configs = parseFileRefs(service.configs);
  if ('depends_on' in service) service.depends_on = parseDependsOn(service.depends_on, [...where, 'depends_on']);
  if ('networks' in service) service.networks = parseServiceNetworks(service.networks);
  if ('env_file' in service) {
    const files = Array.isArray(service.env_file) ? service.env_file : [service.env_file];
    service.env_file = files.map((f) => hostPath(String(isMap(f) ? f.path : f), baseDir));
  }
  if (typeof service.build === 'string') service.build = { context: service.build };
  if (isMap(service.build)) service.build = { ...service.build, context: hostPath(typeof service.build.context === 'string' ? service.build.context : '.', baseDir) };
  if (typeof service.tmpfs === 'string') service.tmpfs = [service.tmpfs];
  if (typeof service.dns === 'string') service.dns = [service.dns];
  if ('extra_hosts' in service && isMap(service.extra_hosts)) {
    service.extra_hosts = Object.entries(service.extra_hosts).map(([host, ip]) => `${host}:${String(ip)}`);
  }
  return service;
}

function appendUnique(base: unknown[], over: unknown[]): unknown[] {
  const seen = new Set(base.map((v) => JSON.stringify(v)));
  return [...base, ...over.filter((v) => !seen.has(JSON.stringify(v)))];
}

function mergeByTarget(base: unknown[], over: unknown[]): unknown[] {
  const merged = new Map<string, unknown>(base.map((entry) => [targetOf(entry), entry]));
  for (const entry of over) merged.set(targetOf(entry), entry);
  return [...merged.values()];
}

/** Merges two canonical services: `over` (a later file, or the extending service) wins. */
export function mergeServices(base: RawMap, over: RawMap): RawMap {
  const out: RawMap = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    if (Array.isArray(current) && Array.isArray(value) && APPENDED.has(key)) out[key] = appendUnique(current, value);
    else if (Array.isArray(current) && Array.isArray(value) && BY_TARGET.has(key)) out[key] = mergeByTarget(current, value);
    else if (isMap(current) && isMap(value) && key !== 'healthcheck') out[key] = mergeMaps(current, value);
    else if (isMap(current) && isMap(value)) out[key] = { ...current, ...value };
    else out[key] = value;
  }
  return out;
}

/** Merges two whole files' data (canonical services): services by name, other sections as mappings. */
export function mergeProjects(base: RawMap, over: RawMap): RawMap {
  const out = mergeMaps(base, { ...over, services: {} });
  const services: RawMap = { ...(isMap(base.services) ? base.services : {}) };
  for (const [name, def] of Object.entries(isMap(over.services) ? over.services : {})) {
    const current = services[name];
    services[name] = isMap(current) && isMap(def) ? mergeServices(current, def) : def;
  }
  out.services = services;
  return out;
}
