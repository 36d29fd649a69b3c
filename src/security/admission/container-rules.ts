/**
 * The rules about a container's options: `no-privileged`, `no-host-namespaces`, `no-bind-mounts`,
 * `capabilities`, `non-root`, `memory-limit`, `required-labels`. Each returns what the request
 * breaks (field and detail). Pure.
 */
import { posix } from 'node:path';
import { HOST_NAMESPACES, type ContainerFacts, type HostNamespace, type ImageFacts } from './admission-request.js';
import type { Breach } from './image-rules.js';

const NAMESPACE_FIELDS: Record<HostNamespace, string> = {
  pid: 'HostConfig.PidMode', network: 'HostConfig.NetworkMode', ipc: 'HostConfig.IpcMode', uts: 'HostConfig.UTSMode', userns: 'HostConfig.UsernsMode',
};

export function checkPrivileged(container: ContainerFacts): Breach[] {
  return container.privileged ? [{ field: 'HostConfig.Privileged', detail: 'is true' }] : [];
}

export function checkHostNamespaces(container: ContainerFacts, forbidden: readonly HostNamespace[] = HOST_NAMESPACES): Breach[] {
  return container.hostNamespaces.filter((ns) => forbidden.includes(ns)).map((ns) => ({ field: NAMESPACE_FIELDS[ns], detail: 'is "host"' }));
}

/** `/etc/./x/` → `/etc/x`; `..` resolved lexically (never above `/`). */
export function normaliseHostPath(path: string): string {
  const clean = posix.normalize(`/${path}`);
  return clean.length > 1 && clean.endsWith('/') ? clean.slice(0, -1) : clean;
}

/** Whether `path` is `prefix` or below it, component-wise (`/etc` covers `/etc/x`, not `/etcetera`). */
function isUnder(path: string, prefix: string): boolean {
  return prefix === '/' || path === prefix || path.startsWith(`${prefix}/`);
}

export function checkBindMounts(container: ContainerFacts, paths: readonly string[]): Breach[] {
  const forbidden = paths.map(normaliseHostPath);
  return container.binds.flatMap((bind) => {
    const source = normaliseHostPath(bind.source);
    const prefix = forbidden.find((p) => isUnder(source, p));
    return prefix === undefined ? [] : [{ field: bind.field, detail: `mounts the host path ${JSON.stringify(bind.source)} (at ${bind.target}), under the forbidden ${prefix}` }];
  });
}

const capabilityName = (text: string): string => text.toUpperCase().replace(/^CAP_/, '');

export function checkCapabilities(container: ContainerFacts, allow: readonly string[]): Breach[] {
  const allowed = new Set(allow.map(capabilityName));
  if (allowed.has('ALL')) return [];
  return container.capAdd.filter((cap) => !allowed.has(capabilityName(cap)))
    .map((cap) => ({ field: 'HostConfig.CapAdd', detail: `adds ${JSON.stringify(cap)}, which is not allowed${allow.length === 0 ? '' : ` (allowed: ${allow.join(', ')})`}` }));
}

/** `root`, `0`, `root:x`, `0:0`, or empty (an image without USER runs as root). */
function isRootUser(user: string): boolean {
  const name = user.split(':')[0] ?? '';
  return name === '' || name === 'root' || name === '0';
}

export function checkNonRoot(container: ContainerFacts, image: ImageFacts): Breach[] {
  const field = container.fieldNames?.user ?? 'Config.User';
  if (container.user !== '') return isRootUser(container.user) ? [{ field, detail: `is ${JSON.stringify(container.user)}, which is root` }] : [];
  if (image.config === undefined) return [{ field, detail: `is not set, and the user of ${JSON.stringify(image.given)} is unknown (the image is not in the store)` }];
  const user = image.config.user;
  if (!isRootUser(user)) return [];
  return [{ field, detail: user === '' ? 'is not set, and the image has no USER (it runs as root)' : `is not set, and the image's USER is ${JSON.stringify(user)}, which is root` }];
}

export function checkMemoryLimit(container: ContainerFacts, max: number | undefined): Breach[] {
  const field = container.fieldNames?.memory ?? 'HostConfig.Memory';
  if (container.memory === undefined || container.memory <= 0) return [{ field, detail: 'is not set (a memory limit is required)' }];
  if (max !== undefined && container.memory > max) return [{ field, detail: `is ${container.memory}, above the allowed ${max} bytes` }];
  return [];
}

export function checkRequiredLabels(container: ContainerFacts, image: ImageFacts, required: Readonly<Record<string, string | string[] | null>>): Breach[] {
  const labels: Record<string, string> = { ...image.config?.labels, ...container.labels };
  return Object.entries(required).flatMap(([key, want]): Breach[] => {
    const value = labels[key];
    const field = container.fieldNames?.labels ?? 'Config.Labels';
    if (value === undefined) return [{ field, detail: `has no label ${JSON.stringify(key)}` }];
    const allowed = want === null ? undefined : typeof want === 'string' ? [want] : want;
    if (allowed === undefined || allowed.includes(value)) return [];
    return [{ field: `${field}.${key}`, detail: `is ${JSON.stringify(value)}, not one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}` }];
  });
}
