/**
 * The runtime spec of a container in its own user namespace: a `user` namespace with the
 * container's mappings (ids 0..size-1 → its host range). Pure.
 *
 * Kernel rules this follows: sysfs may only be mounted by a user namespace that owns the network
 * namespace, so with the host's network or a namespace made by berth (CNI), /sys is a read-only
 * bind of the host's instead; likewise /dev/mqueue with the host's IPC namespace. The kernel takes
 * only mapped gids in `net.ipv4.ping_group_range`: Docker's default "0 2147483647" becomes the
 * namespace's ids.
 */
import type { OciMount, RuntimeSpec } from '../spec/oci-runtime-spec.js';
import type { UsernsConfig } from './id-ranges.js';

const PING_GROUP_RANGE = 'net.ipv4.ping_group_range';
const DOCKER_PING_GROUP_RANGE = '0 2147483647';

export function withUserNamespace(spec: RuntimeSpec, userns: UsernsConfig): RuntimeSpec {
  const { namespaces } = spec.linux;
  const ownNetwork = namespaces.some((ns) => ns.type === 'network' && ns.path === undefined);
  const ownIpc = namespaces.some((ns) => ns.type === 'ipc' && ns.path === undefined);
  const mounts = spec.mounts.map((mount): OciMount => {
    if (mount.destination === '/sys' && mount.type === 'sysfs' && !ownNetwork) return hostBind(mount, '/sys');
    if (mount.destination === '/dev/mqueue' && mount.type === 'mqueue' && !ownIpc) return hostBind(mount, '/dev/mqueue');
    return mount;
  });
  const sysctl = spec.linux.sysctl === undefined ? undefined : { ...spec.linux.sysctl };
  if (sysctl?.[PING_GROUP_RANGE] === DOCKER_PING_GROUP_RANGE) sysctl[PING_GROUP_RANGE] = `0 ${userns.size - 1}`;
  return {
    ...spec,
    mounts,
    linux: {
      ...spec.linux,
      ...(sysctl === undefined ? {} : { sysctl }),
      namespaces: [{ type: 'user' }, ...namespaces],
      uidMappings: [{ containerID: 0, hostID: userns.uid, size: userns.size }],
      gidMappings: [{ containerID: 0, hostID: userns.gid, size: userns.size }],
    },
  };
}

/** `mount` as a recursive bind of the host's `source`, keeping its ro/nosuid/noexec/nodev. */
function hostBind(mount: OciMount, source: string): OciMount {
  const kept = (mount.options ?? []).filter((o) => ['ro', 'nosuid', 'noexec', 'nodev'].includes(o));
  return { destination: mount.destination, type: 'bind', source, options: ['rbind', 'rprivate', ...kept] };
}
