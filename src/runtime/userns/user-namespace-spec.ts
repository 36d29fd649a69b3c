/**
 * The runtime spec of a container in its own user namespace: a `user` namespace with the
 * container's mappings (ids 0..size-1 → its host range). Pure.
 *
 * Kernel rules this follows:
 * - sysfs may only be mounted by a user namespace that owns the network namespace: with the host's
 *   network or one berth made (CNI), /sys is a read-only bind of the host's instead;
 * - mqueue likewise needs its own IPC namespace: with the host's, there is no /dev/mqueue;
 * - `net.*` sysctls of a network namespace berth made can only be written from the host's user
 *   namespace: they are taken out of the spec and returned, for the caller to write (`netnsSysctls`);
 * - only mapped gids are valid in `net.ipv4.ping_group_range`: Docker's default "0 2147483647"
 *   becomes the namespace's ids.
 */
import type { OciMount, RuntimeSpec } from '../spec/oci-runtime-spec.js';
import type { UsernsConfig } from './id-ranges.js';

const PING_GROUP_RANGE = 'net.ipv4.ping_group_range';
const DOCKER_PING_GROUP_RANGE = '0 2147483647';

export interface UsernsSpec {
  spec: RuntimeSpec;
  /** Sysctls of the joined network namespace that the caller writes before the container starts. */
  netnsSysctls: Record<string, string>;
}

export function withUserNamespace(spec: RuntimeSpec, userns: UsernsConfig): UsernsSpec {
  const { namespaces } = spec.linux;
  const network = namespaces.find((ns) => ns.type === 'network');
  const ownNetwork = network !== undefined && network.path === undefined;
  const ownIpc = namespaces.some((ns) => ns.type === 'ipc' && ns.path === undefined);
  const mounts = spec.mounts.flatMap((mount): OciMount[] => {
    if (mount.destination === '/sys' && mount.type === 'sysfs' && !ownNetwork) return [hostBind(mount, '/sys')];
    if (mount.destination === '/dev/mqueue' && mount.type === 'mqueue' && !ownIpc) return [];
    return [mount];
  });
  const sysctl: Record<string, string> = {};
  const netnsSysctls: Record<string, string> = {};
  for (const [key, value] of Object.entries(spec.linux.sysctl ?? {})) {
    const mapped = key === PING_GROUP_RANGE && value === DOCKER_PING_GROUP_RANGE ? `0 ${userns.size - 1}` : value;
    if (network?.path !== undefined && key.startsWith('net.')) netnsSysctls[key] = mapped;
    else sysctl[key] = mapped;
  }
  const linux = {
    ...spec.linux,
    namespaces: [{ type: 'user' as const }, ...namespaces],
    uidMappings: [{ containerID: 0, hostID: userns.uid, size: userns.size }],
    gidMappings: [{ containerID: 0, hostID: userns.gid, size: userns.size }],
  };
  if (spec.linux.sysctl !== undefined) linux.sysctl = sysctl;
  return { spec: { ...spec, mounts, linux }, netnsSysctls };
}

/** `mount` as a recursive bind of the host's `source`, keeping its ro/nosuid/noexec/nodev. */
function hostBind(mount: OciMount, source: string): OciMount {
  const kept = (mount.options ?? []).filter((o) => ['ro', 'nosuid', 'noexec', 'nodev'].includes(o));
  return { destination: mount.destination, type: 'bind', source, options: ['rbind', 'rprivate', ...kept] };
}
