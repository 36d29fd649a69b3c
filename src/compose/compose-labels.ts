/**
 * The `com.docker.compose.*` labels docker compose v2 puts on what it creates, so that berth and
 * docker compose each see the other's projects, and the config hash that tells `up` whether a
 * service's containers are current: SHA-256 of the service's normalized JSON without the fields
 * that do not change a container (build, pull_policy, scale, deploy.replicas, depends_on,
 * profiles), with keys sorted so the hash does not depend on the order in the file.
 */
import { createHash } from 'node:crypto';
import type { ComposeProject, ServiceConfig } from './project-model.js';

export const LABELS = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  containerNumber: 'com.docker.compose.container-number',
  oneoff: 'com.docker.compose.oneoff',
  configHash: 'com.docker.compose.config-hash',
  workingDir: 'com.docker.compose.project.working_dir',
  configFiles: 'com.docker.compose.project.config_files',
  environmentFile: 'com.docker.compose.project.environment_file',
  version: 'com.docker.compose.version',
  network: 'com.docker.compose.network',
  volume: 'com.docker.compose.volume',
  dependsOn: 'com.docker.compose.depends_on',
  image: 'com.docker.compose.image',
  slug: 'com.docker.compose.slug',
  replace: 'com.docker.compose.replace',
} as const;

/** The compose version berth declares in `com.docker.compose.version` (the file format it follows). */
export const COMPOSE_VERSION = '2.20.0';

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sorted((value as Record<string, unknown>)[key])]));
}

/** The config hash of a service (hex SHA-256). */
export function serviceConfigHash(service: ServiceConfig): string {
  const { build: _build, scale: _scale, depends_on: _deps, profiles: _profiles, pull_policy: _pull, ...rest } = service;
  const copy: Record<string, unknown> = { ...rest };
  if (service.deploy !== undefined) {
    const { replicas: _replicas, ...deploy } = service.deploy;
    if (Object.keys(deploy).length > 0) copy.deploy = deploy;
    else delete copy.deploy;
  }
  return createHash('sha256').update(JSON.stringify(sorted(copy))).digest('hex');
}

/** `depends_on` as docker compose writes it: `service:condition:restart` joined by commas. */
function dependsOnLabel(service: ServiceConfig): string {
  return Object.entries(service.depends_on).map(([name, dep]) => `${name}:${dep.condition}:${String(dep.restart)}`).join(',');
}

/** Labels of a service's container number `n` (the user's labels under compose's). */
export function containerLabels(project: ComposeProject, service: ServiceConfig, n: number, oneoff = false): Record<string, string> {
  return {
    ...service.labels,
    [LABELS.project]: project.name,
    [LABELS.service]: service.name,
    [LABELS.containerNumber]: String(n),
    [LABELS.oneoff]: oneoff ? 'True' : 'False',
    [LABELS.configHash]: serviceConfigHash(service),
    [LABELS.workingDir]: project.workingDir,
    [LABELS.configFiles]: project.configFiles.join(','),
    [LABELS.version]: COMPOSE_VERSION,
    [LABELS.dependsOn]: dependsOnLabel(service),
    [LABELS.image]: service.image ?? `${project.name}-${service.name}`,
  };
}

/** Labels of a project network (`key` is its name in the file). */
export function networkLabels(project: ComposeProject, key: string, own: Record<string, string>): Record<string, string> {
  return { ...own, [LABELS.project]: project.name, [LABELS.network]: key, [LABELS.version]: COMPOSE_VERSION };
}

/** Labels of a project volume (`key` is its name in the file). */
export function volumeLabels(project: ComposeProject, key: string, own: Record<string, string>): Record<string, string> {
  return { ...own, [LABELS.project]: project.name, [LABELS.volume]: key, [LABELS.version]: COMPOSE_VERSION };
}

/** `<project>-<service>-<n>`, or the service's `container_name`. */
export function containerName(project: ComposeProject, service: ServiceConfig, n: number): string {
  return service.container_name ?? `${project.name}-${service.name}-${n}`;
}

/** The image of a service: `image:`, else the one `build` makes (`<project>-<service>`). */
export function imageOf(project: ComposeProject, service: ServiceConfig): string {
  return service.image ?? `${project.name}-${service.name}`;
}
