/**
 * The images containers are made from, as the engine reads them: a reference resolved (unknown:
 * not-found `no-such-image`) and each image's config, read once and kept by image id (an image's
 * config never changes: its id is the config's digest). Safe at any time.
 */
import { errors, isBerthError } from '../base/errors.js';
import type { ImageRecord } from '../images/image-record.js';
import type { ImageService } from '../images/image-service.js';
import type { ImageConfig } from '../oci/schemas.js';

export class ContainerImages {
  readonly #configs = new Map<string, ImageConfig>();

  constructor(private readonly images: ImageService) {}

  /** The image a container would be created from. Throws not-found (`no-such-image`). */
  resolve(ref: string): ImageRecord {
    try {
      return this.images.resolve(ref);
    } catch (err) {
      if (isBerthError(err, 'not-found')) throw errors.notFound('no-such-image', `No such image: ${ref}`, { cause: err });
      throw err;
    }
  }

  /** The image's config; throws what the image service throws for an unknown or unreadable image. */
  async config(imageId: string): Promise<ImageConfig> {
    const cached = this.#configs.get(imageId);
    if (cached !== undefined) return cached;
    const config = await this.images.config(this.images.resolve(imageId));
    this.#configs.set(imageId, config);
    return config;
  }
}
