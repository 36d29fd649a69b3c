/**
 * The compression an image's layers leave the node in (push, save) or are stored in (build):
 * names, levels, and the layer media types each one has in an OCI or a Docker manifest. Pure.
 */
import { errors } from '../../base/errors.js';
import { MediaType } from '../../oci/media-types.js';
import type { LayerCompression } from '../../wire/compression-options.js';

export type { CompressionInput, CompressionOptions, LayerCompression } from '../../wire/compression-options.js';
export { COMPRESSION_FORMATS, COMPRESSION_LEVELS, parseCompressionOptions } from '../../wire/compression-options.js';

/** The compression a layer media type names; undefined for a type that is not a layer berth knows. */
export function compressionOfMediaType(mediaType: string): LayerCompression | undefined {
  switch (mediaType) {
    case MediaType.ociLayer:
    case MediaType.dockerLayer:
      return 'none';
    case MediaType.ociLayerGzip:
    case MediaType.dockerLayerGzip:
    case MediaType.ociLayerNondistributableGzip:
    case MediaType.dockerForeignLayerGzip:
      return 'gzip';
    case MediaType.ociLayerZstd:
      return 'zstd';
    default:
      return undefined;
  }
}

/** Layers that must not be redistributed (Windows base layers): never recompressed, pushed or saved as they are. */
export function isForeignLayer(mediaType: string): boolean {
  return mediaType === MediaType.ociLayerNondistributableGzip || mediaType === MediaType.dockerForeignLayerGzip;
}

/**
 * The manifest media type an image gets when its layers are `format`: a Docker schema 2 manifest
 * cannot name a zstd layer, so zstd makes an OCI manifest; otherwise the family stays.
 */
export function manifestMediaTypeFor(format: LayerCompression, manifestMediaType: string): string {
  return format === 'zstd' || manifestMediaType !== MediaType.dockerManifest ? MediaType.ociManifest : MediaType.dockerManifest;
}

/** The media type of a `format` layer in a manifest of `manifestMediaType`. */
export function layerMediaTypeFor(format: LayerCompression, manifestMediaType: string): string {
  if (manifestMediaType === MediaType.dockerManifest) {
    if (format === 'zstd') throw errors.internal('zstd-in-docker-manifest', 'a Docker schema 2 manifest cannot carry a zstd layer');
    return format === 'gzip' ? MediaType.dockerLayerGzip : MediaType.dockerLayer;
  }
  return format === 'gzip' ? MediaType.ociLayerGzip : format === 'zstd' ? MediaType.ociLayerZstd : MediaType.ociLayer;
}

/** The config media type of a manifest of `manifestMediaType` (the config's bytes are the same in both). */
export function configMediaTypeFor(manifestMediaType: string): string {
  return manifestMediaType === MediaType.dockerManifest ? MediaType.dockerConfig : MediaType.ociConfig;
}
