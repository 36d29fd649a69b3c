/**
 * Volumes as the Docker Engine API shows them: `GET /volumes/{name}` (Volume) and the `Mounts`
 * of a container (MountPoint), as dockerd fills them. Pure.
 */
import type { ContainerMount } from '../engine/container-mount.js';
import type { VolumeRecord } from '../volumes/volume-record.js';
import type { MountPoint } from '../wire/mounts.js';
import type { Volume } from '../wire/volumes.js';

function orNull(map: Record<string, string>): Record<string, string> | null {
  return Object.keys(map).length === 0 ? null : map;
}

export function volumeView(volume: VolumeRecord, mountpoint: string, usage?: { size: number; refCount: number }): Volume {
  return {
    CreatedAt: volume.createdAt,
    Driver: volume.driver,
    Labels: orNull(volume.labels),
    Mountpoint: mountpoint,
    Name: volume.name,
    Options: orNull(volume.options),
    Scope: 'local',
    ...(usage === undefined ? {} : { UsageData: { Size: usage.size, RefCount: usage.refCount } }),
  };
}

/** One MountPoint per mount (`dataDir` gives a volume's host path). */
export function mountViews(mounts: readonly ContainerMount[] | undefined, dataDir: (name: string) => string): MountPoint[] {
  return (mounts ?? []).map((mount) => {
    if (mount.type === 'volume') {
      return {
        Type: 'volume', Name: mount.name, Source: dataDir(mount.name), Destination: mount.target, Driver: 'local',
        Mode: mount.readOnly ? 'ro' : '', RW: !mount.readOnly, Propagation: '',
      };
    }
    if (mount.type === 'bind') {
      return { Type: 'bind', Source: mount.source, Destination: mount.target, Mode: mount.readOnly ? 'ro' : '', RW: !mount.readOnly, Propagation: mount.propagation };
    }
    return { Type: 'tmpfs', Source: '', Destination: mount.target, Mode: '', RW: !mount.readOnly, Propagation: '' };
  });
}
