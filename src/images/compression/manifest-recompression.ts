/**
 * What asking for a layer compression does to a manifest: which layers must be recompressed,
 * which media types change, and the manifest that results. Pure: the bytes are made elsewhere
 * (layer-recompressor.ts). The config is never touched, so the image id and the diff IDs stay.
 */
import { errors } from '../../base/errors.js';
import type { Descriptor, Manifest } from '../../oci/schemas.js';
import {
  compressionOfMediaType, configMediaTypeFor, isForeignLayer, layerMediaTypeFor, manifestMediaTypeFor, type LayerCompression,
} from './layer-compression.js';

export interface LayerStep {
  /** The layer as the stored manifest lists it. */
  source: Descriptor;
  /** Whether its bytes must be made anew (decompressed and compressed as asked). */
  recompress: boolean;
  /** Its media type in the resulting manifest. */
  mediaType: string;
}

export interface RecompressionPlan {
  format: LayerCompression;
  /** The stored manifest's media type. */
  sourceMediaType: string;
  manifestMediaType: string;
  layers: LayerStep[];
  /** False when the stored manifest already is the result (its bytes and digest are kept). */
  changed: boolean;
}

/**
 * Plans `format` for a manifest of `manifestMediaType`: a layer whose media type names another
 * compression is recompressed; one that names this compression is kept byte for byte (whatever
 * level made it); foreign (non-distributable) layers are kept as they are. A Docker manifest
 * becomes an OCI one for zstd. Throws invalid-argument for a layer media type berth does not know.
 */
export function planRecompression(manifest: Manifest, manifestMediaType: string, format: LayerCompression): RecompressionPlan {
  const resultType = manifestMediaTypeFor(format, manifestMediaType);
  const layers = manifest.layers.map((layer, index): LayerStep => {
    if (isForeignLayer(layer.mediaType)) return { source: layer, recompress: false, mediaType: layer.mediaType };
    const current = compressionOfMediaType(layer.mediaType);
    if (current === undefined) throw errors.invalidArgument('unsupported-layer', `manifest layers.${index}: unsupported media type ${layer.mediaType}`);
    return { source: layer, recompress: current !== format, mediaType: layerMediaTypeFor(format, resultType) };
  });
  const changed = resultType !== manifestMediaType || layers.some((step) => step.recompress || step.mediaType !== step.source.mediaType);
  return { format, sourceMediaType: manifestMediaType, manifestMediaType: resultType, layers, changed };
}

/** The blob a recompressed layer became. */
export interface NewLayerBlob {
  digest: Descriptor['digest'];
  size: number;
}

/**
 * The resulting manifest: `blobs[i]` is the new blob of layer i where the plan recompresses it
 * (ignored elsewhere). Descriptor annotations and urls stay; so do the manifest's annotations,
 * subject and artifactType when its family stays. A Docker manifest made OCI gets the OCI config
 * media type (the config's bytes, hence the image id, are the same).
 */
export function recompressedManifest(manifest: Manifest, plan: RecompressionPlan, blobs: ReadonlyMap<number, NewLayerBlob>): Manifest {
  const layers = plan.layers.map((step, index): Descriptor => {
    if (!step.recompress) return { ...step.source, mediaType: step.mediaType };
    const blob = blobs.get(index);
    if (blob === undefined) throw errors.internal('layer-not-recompressed', `layer ${index} (${step.source.digest}) has no recompressed blob`);
    return { ...step.source, mediaType: step.mediaType, digest: blob.digest, size: blob.size };
  });
  const sameFamily = plan.manifestMediaType === plan.sourceMediaType;
  const config = sameFamily ? manifest.config : { ...manifest.config, mediaType: configMediaTypeFor(plan.manifestMediaType) };
  return {
    schemaVersion: 2,
    mediaType: plan.manifestMediaType,
    ...(sameFamily && manifest.artifactType !== undefined && { artifactType: manifest.artifactType }),
    config,
    layers,
    ...(sameFamily && manifest.subject !== undefined && { subject: manifest.subject }),
    ...(sameFamily && manifest.annotations !== undefined && { annotations: manifest.annotations }),
  };
}
