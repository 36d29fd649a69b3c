import type { HistoryEntry, ImageConfig } from '../oci/schemas.js';
import { familiarName } from '../oci/reference.js';
import type { ImageHistoryRow, ImageInspect } from '../wire/images.js';
import type { ImageRecord } from './image-record.js';

/**
 * Docker's container Config with every field that is not `omitempty` at its zero value: what
 * dockerd (API ≤ 1.44) shows as an image's ContainerConfig when the image has none, and under
 * the fields it has.
 */
const ZERO_CONTAINER_CONFIG: Readonly<Record<string, unknown>> = {
  Hostname: '', Domainname: '', User: '', AttachStdin: false, AttachStdout: false, AttachStderr: false,
  Tty: false, OpenStdin: false, StdinOnce: false, Env: null, Cmd: null, Image: '', Volumes: null,
  WorkingDir: '', Entrypoint: null, OnBuild: null, Labels: null,
};

/** `docker image inspect` shape of an image (the API and the CLI print this). */
export function inspectView(image: ImageRecord, config: ImageConfig, layerDirs: string[]): ImageInspect {
  return {
    Id: image.id,
    RepoTags: image.names.map(familiarName),
    RepoDigests: image.repoDigests.map(familiarName),
    Parent: '',
    Comment: config.history?.at(-1)?.comment ?? '',
    Created: image.createdAt,
    Container: config.container ?? '',
    ContainerConfig: { ...ZERO_CONTAINER_CONFIG, ...(config.container_config ?? {}) },
    DockerVersion: '',
    Author: config.author ?? '',
    Config: config.config ?? {},
    Architecture: image.architecture,
    ...(image.variant !== null && { Variant: image.variant }),
    Os: image.os,
    Size: image.size,
    VirtualSize: image.size,
    GraphDriver: {
      Name: 'overlay',
      Data: { LowerDir: layerDirs.slice(0, -1).reverse().join(':'), UpperDir: layerDirs.at(-1) ?? '' },
    },
    RootFS: { Type: 'layers', Layers: config.rootfs.diff_ids },
    Metadata: { LastTagTime: image.loadedAt },
    Descriptor: { mediaType: image.manifestMediaType, digest: image.manifestDigest },
  };
}

/**
 * `docker history` rows, newest first. `layerSizes` are the unpacked sizes of the image's layers,
 * bottom first; history entries marked empty_layer have size 0.
 */
export function historyView(image: ImageRecord, config: ImageConfig, layerSizes: number[]): ImageHistoryRow[] {
  const entries: HistoryEntry[] = config.history ?? config.rootfs.diff_ids.map(() => ({}));
  let layer = 0;
  const rows: ImageHistoryRow[] = entries.map((entry) => {
    const size = entry.empty_layer === true ? 0 : (layerSizes[layer++] ?? 0);
    const created = entry.created ? Date.parse(entry.created) / 1000 : 0;
    return {
      Id: '<missing>',
      Created: Math.floor(Number.isNaN(created) ? 0 : created),
      CreatedBy: entry.created_by ?? '',
      Tags: null,
      Size: size,
      Comment: entry.comment ?? '',
    };
  });
  rows.reverse();
  const top = rows[0];
  if (top) {
    top.Id = image.id;
    top.Tags = image.names.map(familiarName);
  }
  return rows;
}
