/**
 * The compression an image's layers leave the node in (push, save) or are stored in (build):
 * names, levels, and the layer media types each one has in an OCI or a Docker manifest. Pure.
 */
import { errors } from '../../base/errors.js';
import { MediaType } from '../../oci/media-types.js';
import type { LayerCompression } from '../../snapshots/decompress.js';

export type { LayerCompression } from '../../snapshots/decompress.js';

export const COMPRESSION_FORMATS: readonly LayerCompression[] = ['gzip', 'zstd', 'none'];

/** Levels each format accepts. zstd stops at 19: the `--ultra` levels need windows some decoders refuse. */
export const COMPRESSION_LEVELS: Readonly<Record<'gzip' | 'zstd', { min: number; max: number; default: number }>> = {
  gzip: { min: 1, max: 9, default: 6 },
  zstd: { min: 1, max: 19, default: 3 },
};

/** A requested layer compression; `level` is set for gzip and zstd, never for none. */
export interface CompressionOptions {
  format: LayerCompression;
  level?: number;
}

/** What the user wrote, and the names of the fields it came in (for error messages). */
export interface CompressionInput {
  format: string | undefined;
  level: string | number | undefined;
  /** e.g. `--compression` / `compression` (API query). */
  formatField: string;
  levelField: string;
}

/**
 * Validates a requested compression. No format (and no level) → undefined: the command's default.
 * Throws invalid-argument naming the field for an unknown format, a level that is not an integer,
 * a level out of the format's range, a level for `none`, or a level without a format.
 */
export function parseCompressionOptions(input: CompressionInput): CompressionOptions | undefined {
  const { formatField, levelField } = input;
  const levelText = input.level === undefined || input.level === '' ? undefined : String(input.level);
  if (input.format === undefined || input.format === '') {
    if (levelText !== undefined) throw errors.invalidArgument('compression-level-without-format', `${levelField}: give ${formatField} gzip or zstd with a level`);
    return undefined;
  }
  const format = COMPRESSION_FORMATS.find((f) => f === input.format);
  if (format === undefined) {
    throw errors.invalidArgument('unknown-compression', `${formatField}: unknown compression "${input.format}" (${COMPRESSION_FORMATS.join(', ')})`);
  }
  if (format === 'none') {
    if (levelText !== undefined) throw errors.invalidArgument('compression-level-for-none', `${levelField}: compression none takes no level`);
    return { format };
  }
  const range = COMPRESSION_LEVELS[format];
  if (levelText === undefined) return { format, level: range.default };
  if (!/^-?\d+$/.test(levelText.trim())) throw errors.invalidArgument('invalid-compression-level', `${levelField}: "${levelText}" is not an integer`);
  const level = Number(levelText);
  if (level < range.min || level > range.max) {
    throw errors.invalidArgument('compression-level-out-of-range', `${levelField}: ${format} levels are ${range.min} to ${range.max}, got ${level}`);
  }
  return { format, level };
}

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
