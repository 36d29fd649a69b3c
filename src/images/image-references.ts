import type { Digest } from '../base/digest.js';

/** What may keep an image that has no name: a container created from it, a build cache entry. */
export type ImageReferenceKind = 'container' | 'build-cache';

/**
 * A module that keeps images in records of its own (the engine's containers, the builder's cache)
 * and answers for them. Offered by the owner of those records and registered with
 * `ImageReferences` where the node is composed.
 */
export interface ImageReferenceSource {
  readonly kind: ImageReferenceKind;
  /**
   * The id of one of its records that refers to image `imageId`, or undefined for none.
   * Synchronous and read-only on the node's database, so it may run inside a transaction of it.
   */
  referenceTo(imageId: Digest | string): string | undefined;
}

/**
 * The registry through which images/ asks "who keeps this image": removal refuses (or only
 * untags) an image a container uses, prune spares build cache images. With no source of a kind
 * registered, nothing of that kind keeps an image.
 */
export class ImageReferences {
  readonly #sources: ImageReferenceSource[] = [];

  register(source: ImageReferenceSource): void {
    this.#sources.push(source);
  }

  /** The id of a record of `kind` referring to the image, if any. */
  find(kind: ImageReferenceKind, imageId: Digest | string): string | undefined {
    for (const source of this.#sources) {
      if (source.kind !== kind) continue;
      const id = source.referenceTo(imageId);
      if (id !== undefined) return id;
    }
    return undefined;
  }

  /** Whether any registered source refers to the image. */
  isReferenced(imageId: Digest | string): boolean {
    return this.#sources.some((source) => source.referenceTo(imageId) !== undefined);
  }
}
