import type { Digest } from '../base/digest.js';

/** An image as the node's metadata records it. `id` is the config digest (Docker's image ID). */
export interface ImageRecord {
  id: Digest;
  manifestDigest: Digest;
  manifestMediaType: string;
  indexDigest: Digest | null;
  os: string;
  architecture: string;
  variant: string | null;
  /** Snapshot key of the top layer; null for an image without layers. */
  topChainId: string | null;
  /** Unpacked size of all layers, bytes. */
  size: number;
  createdAt: string;
  loadedAt: string;
  /** Normalized names (docker.io/library/busybox:latest), sorted. */
  names: string[];
  /** Normalized `repository@digest` references it was pulled by or pushed as, sorted. */
  repoDigests: string[];
}

/** What a writer hands the store to record a new image (or new names for a known one). */
export interface NewImage extends Omit<ImageRecord, 'names' | 'loadedAt' | 'repoDigests'> {
  /** Every blob the image keeps alive: manifest, config, layers, index. */
  blobs: Digest[];
  names: string[];
  /** `repository@digest` references to add (a pull records the digest it fetched). */
  repoDigests?: string[];
}
