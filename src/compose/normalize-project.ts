/**
 * Merged compose data → the normalized project (project-model.ts): env files read, profiles
 * applied, the implicit `default` network added, names of networks and volumes given their
 * project prefix, and every reference (networks, volumes, secrets, configs, depends_on) checked.
 */
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errors } from '../base/errors.js';
import { parseEnvFile } from './env-file.js';
import type { Environment } from './interpolate.js';
import type { RawMap } from './merge.js';
import type { ComposeProject, FileObjectConfig, NetworkConfig, ServiceConfig, VolumeConfig } from './project-model.js';
import { hostPath, listOrDict, type VolumeMountConfig } from './short-syntax.js';

/** Service keys berth applies; others are reported as ignored. */
export const SUPPORTED_SERVICE_KEYS = new Set([
  'image', 'build', 'command', 'entrypoint', 'environment', 'env_file', 'labels', 'ports', 'expose', 'volumes', 'tmpfs', 'networks', 'network_mode',
  'depends_on', 'healthcheck', 'restart', 'deploy', 'scale', 'profiles', 'secrets', 'configs', 'container_name', 'working_dir', 'user', 'hostname',
  'stop_signal', 'stop_grace_period', 'tty', 'stdin_open', 'privileged', 'read_only', 'init', 'cap_add', 'cap_drop', 'dns', 'extra_hosts', 'sysctls',
  'mem_limit', 'cpus', 'pids_limit', 'shm_size', 'pull_policy',
]);

const isMap = (value: unknown): value is RawMap => value !== null && typeof value === 'object' && !Array.isArray(value);
const mapOf = (value: unknown): RawMap => (isMap(value) ? value : {});
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);
const stringMap = (value: unknown): Record<string, string> => Object.fromEntries(Object.entries(listOrDict(value)).map(([k, v]) => [k, v ?? '']));

export interface NormalizeOptions {
  name: string;
  workingDir: string;
  configFiles: string[];
  profiles: string[];
  env: Environment;
}

async function environmentOf(service: RawMap, env: Environment): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const file of strings(service.env_file)) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw errors.invalidArgument('compose-env-file', `env file ${file} not found`, { cause: err });
    }
    Object.assign(result, parseEnvFile(text, file, env));
  }
  for (const [key, value] of Object.entries(listOrDict(service.environment))) {
    const resolved = value ?? env[key];
    if (resolved !== undefined) result[key] = resolved;
    else Reflect.deleteProperty(result, key);
  }
  return result;
}

function activeServices(services: RawMap, profiles: string[]): Set<string> {
  const enabled = (name: string): boolean => {
    const own = strings(mapOf(services[name]).profiles);
    return own.length === 0 || own.some((p) => profiles.includes(p) || profiles.includes('*'));
  };
  return new Set(Object.keys(services).filter(enabled));
}

function networkOf(project: string, key: string, def: RawMap): NetworkConfig {
  const external = def.external === true || isMap(def.external);
  const given = typeof def.name === 'string' ? def.name : isMap(def.external) && typeof def.external.name === 'string' ? def.external.name : undefined;
  return {
    name: given ?? (external ? key : `${project}_${key}`), external, internal: def.internal === true,
    ...(typeof def.driver === 'string' ? { driver: def.driver } : {}),
    driver_opts: stringMap(def.driver_opts), labels: stringMap(def.labels),
    ...(isMap(def.ipam) ? { ipam: def.ipam } : {}),
    ...(typeof def.enable_ipv6 === 'boolean' ? { enable_ipv6: def.enable_ipv6 } : {}),
    ...(typeof def.attachable === 'boolean' ? { attachable: def.attachable } : {}),
  };
}

function volumeOf(project: string, key: string, def: RawMap): VolumeConfig {
  const external = def.external === true || isMap(def.external);
  const given = typeof def.name === 'string' ? def.name : undefined;
  return {
    name: given ?? (external ? key : `${project}_${key}`), external,
    ...(typeof def.driver === 'string' ? { driver: def.driver } : {}),
    driver_opts: stringMap(def.driver_opts), labels: stringMap(def.labels),
  };
}

function fileObjects(section: unknown, baseDir: string, env: Environment, kind: string): Record<string, FileObjectConfig> {
  return Object.fromEntries(Object.entries(mapOf(section)).map(([key, raw]) => {
    const def = mapOf(raw);
    const external = def.external === true || isMap(def.external);
    const name = typeof def.name === 'string' ? def.name : key;
    const labels = def.labels === undefined ? {} : { labels: stringMap(def.labels) };
    if (typeof def.file === 'string') return [key, { name, file: hostPath(def.file, baseDir), external, ...labels }];
    if (typeof def.content === 'string') return [key, { name, content: def.content, external, ...labels }];
    if (typeof def.environment === 'string') {
      const value = env[def.environment];
      if (value === undefined) throw errors.invalidArgument('compose-secret-environment', `${kind}s.${key}: environment variable ${def.environment} is not set`);
      return [key, { name, content: value, external, ...labels }];
    }
    return [key, { name, external, ...labels }];
  }));
}

function checkReferences(service: ServiceConfig, project: Omit<ComposeProject, 'services' | 'disabledServices'>, known: Set<string>, enabled: Set<string>): void {
  const where = `services.${service.name}`;
  for (const net of Object.keys(service.networks)) {
    if (project.networks[net] === undefined) throw errors.invalidArgument('compose-undefined-network', `${where}.networks: service "${service.name}" refers to undefined network ${net}`);
  }
  for (const mount of service.volumes) {
    if (mount.type === 'volume' && mount.source !== undefined && project.volumes[mount.source] === undefined) {
      throw errors.invalidArgument('compose-undefined-volume', `${where}.volumes: service "${service.name}" refers to undefined volume ${mount.source}`);
    }
  }
  for (const [kind, refs] of [['secret', service.secrets], ['config', service.configs]] as const) {
    const table = kind === 'secret' ? project.secrets : project.configs;
    for (const ref of refs) {
      if (table[ref.source] === undefined) throw errors.invalidArgument(`compose-undefined-${kind}`, `${where}.${kind}s: service "${service.name}" refers to undefined ${kind} ${ref.source}`);
    }
  }
  for (const [dep, config] of Object.entries(service.depends_on)) {
    if (!known.has(dep)) throw errors.invalidArgument('compose-undefined-service', `${where}.depends_on: service "${service.name}" depends on undefined service ${dep}`);
    if (!enabled.has(dep) && config.required) {
      throw errors.invalidArgument('compose-disabled-dependency', `${where}.depends_on: service "${service.name}" depends on ${dep}, which its profiles leave out`);
    }
  }
}

/** Builds the project; `warnings` receives the service keys berth does not apply. */
export async function normalizeProject(data: RawMap, options: NormalizeOptions, warnings: string[]): Promise<ComposeProject> {
  const services = mapOf(data.services);
  const enabled = activeServices(services, options.profiles);
  const networks = Object.fromEntries(Object.entries(mapOf(data.networks)).map(([key, def]) => [key, networkOf(options.name, key, mapOf(def))]));
  const volumes = Object.fromEntries(Object.entries(mapOf(data.volumes)).map(([key, def]) => [key, volumeOf(options.name, key, mapOf(def))]));
  const baseDir = options.workingDir;
  const base = {
    name: options.name, workingDir: options.workingDir, configFiles: options.configFiles, networks, volumes,
    secrets: fileObjects(data.secrets, baseDir, options.env, 'secret'), configs: fileObjects(data.configs, baseDir, options.env, 'config'),
    environment: Object.fromEntries(Object.entries(options.env).filter((e): e is [string, string] => e[1] !== undefined)),
  };
  const result: ServiceConfig[] = [];
  for (const name of [...enabled].sort()) {
    const raw = mapOf(services[name]);
    for (const key of Object.keys(raw)) if (!SUPPORTED_SERVICE_KEYS.has(key) && !key.startsWith('x-')) warnings.push(`services.${name}.${key} is not supported by berth and is ignored`);
    const service = {
      ...raw, name,
      environment: await environmentOf(raw, options.env), labels: stringMap(raw.labels), sysctls: stringMap(raw.sysctls),
      ports: raw.ports ?? [], expose: strings(raw.expose), volumes: (raw.volumes ?? []) as VolumeMountConfig[], tmpfs: strings(raw.tmpfs),
      networks: raw.networks ?? (raw.network_mode === undefined ? { default: {} } : {}), depends_on: raw.depends_on ?? {},
      profiles: strings(raw.profiles), secrets: raw.secrets ?? [], configs: raw.configs ?? [],
      cap_add: strings(raw.cap_add), cap_drop: strings(raw.cap_drop), dns: strings(raw.dns), extra_hosts: strings(raw.extra_hosts),
    } as ServiceConfig & { env_file?: unknown; extends?: unknown };
    delete service.env_file;
    delete service.extends;
    if ('default' in service.networks && networks.default === undefined) networks.default = networkOf(options.name, 'default', {});
    result.push(service);
  }
  for (const service of result) checkReferences(service, base, new Set(Object.keys(services)), enabled);
  return { ...base, services: result, disabledServices: Object.keys(services).filter((s) => !enabled.has(s)).sort() };
}

/** The folder relative paths of a project resolve against. */
export const projectDirOf = (firstFile: string): string => dirname(firstFile);
