/**
 * The dangerous options of request bodies, read defensively (the body is untrusted and not yet
 * validated by its route: anything unexpected here is left to the route's own validation, so
 * a missing field never grants and a malformed one is refused there).
 */
import type { OptionNeed } from './authorize.js';

type Json = Record<string, unknown>;

const objectOf = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Json : {});
const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** The host side of a `-v` bind (`/src:/dst[:opts]`), or undefined for a named volume. */
function bindSource(bind: unknown): string | undefined {
  if (typeof bind !== 'string') return undefined;
  const source = bind.split(':')[0] ?? '';
  return source.startsWith('/') ? source : undefined;
}

function hostNamespaces(host: Json): OptionNeed[] {
  const needs: OptionNeed[] = [];
  if (host.PidMode === 'host') needs.push({ permission: 'containers.host-pid', because: 'pid host' });
  if (host.NetworkMode === 'host') needs.push({ permission: 'containers.host-network', because: 'network host' });
  if (host.IpcMode === 'host') needs.push({ permission: 'containers.host-ipc', because: 'ipc host' });
  return needs;
}

function mountNeeds(mounts: unknown): OptionNeed[] {
  return listOf(mounts).map(objectOf).filter((mount) => mount.Type === 'bind')
    .map((mount) => ({ permission: 'containers.host-mounts', because: `a bind mount of ${typeof mount.Source === 'string' ? mount.Source : 'a host path'}` }));
}

/** `POST /containers/create`: privileged and its kin, host mounts, host namespaces. */
export function containerCreateNeeds(body: unknown): OptionNeed[] {
  const host = objectOf(objectOf(body).HostConfig);
  const needs: OptionNeed[] = [];
  if (host.Privileged === true) needs.push({ permission: 'containers.privileged', because: 'privileged' });
  if (listOf(host.CapAdd).length > 0) needs.push({ permission: 'containers.privileged', because: `cap-add ${listOf(host.CapAdd).map(String).join(',')}` });
  if (listOf(host.Devices).length > 0) needs.push({ permission: 'containers.privileged', because: 'devices' });
  if (listOf(host.DeviceRequests).length > 0) needs.push({ permission: 'containers.privileged', because: 'device requests' });
  const unconfined = listOf(host.SecurityOpt).map(String).find((opt) => opt.includes('unconfined'));
  if (unconfined !== undefined) needs.push({ permission: 'containers.privileged', because: `security-opt ${unconfined}` });
  for (const bind of listOf(host.Binds)) {
    const source = bindSource(bind);
    if (source !== undefined) needs.push({ permission: 'containers.host-mounts', because: `a bind mount of ${source}` });
  }
  needs.push(...mountNeeds(host.Mounts), ...hostNamespaces(host));
  return needs;
}

/** `POST /containers/{id}/exec` with `Privileged`. */
export function execCreateNeeds(body: unknown): OptionNeed[] {
  return objectOf(body).Privileged === true ? [{ permission: 'containers.privileged', because: 'privileged' }] : [];
}

/** `POST /volumes/create` of the local driver binding a host directory (`o=bind`, `device=/path`). */
export function volumeCreateNeeds(body: unknown): OptionNeed[] {
  const opts = objectOf(objectOf(body).DriverOpts);
  const o = typeof opts.o === 'string' ? opts.o : '';
  if (!o.split(',').includes('bind') && !o.split(',').includes('rbind')) return [];
  return [{ permission: 'containers.host-mounts', because: `a volume bound to ${typeof opts.device === 'string' ? opts.device : 'a host path'}` }];
}

/** A Swarm service spec: bind mounts of its containers. */
export function serviceSpecNeeds(body: unknown): OptionNeed[] {
  const spec = objectOf(objectOf(objectOf(body).TaskTemplate).ContainerSpec);
  return mountNeeds(spec.Mounts);
}
