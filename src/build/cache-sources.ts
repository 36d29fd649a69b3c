/**
 * `--cache-from` (`cachefrom` of `POST /build`): images whose history stands for build cache
 * entries, as in Docker's classic builder. A step is cached from a source image when the source
 * was built on the step's parent (its layers and history begin with the parent's) and its next
 * history entry is the step's (`created_by` names everything the step depends on: COPY's names
 * the digest of what it copies). The step's image is then the source itself when that entry is
 * the source's last, or else a new image on the parent with the source's layer and history entry
 * for that step. While there are sources, a hit of the node's own cache counts only when it is a
 * source or an image a source was built on, as in Docker. Once a source matched, the stage
 * follows only that source. Not safe for concurrent use: one instance per stage.
 */
import { createReadStream } from 'node:fs';
import type { Digest } from '../base/digest.js';
import { isBerthError } from '../base/errors.js';
import type { ImageRecord } from '../images/image-record.js';
import type { ImageService } from '../images/image-service.js';
import { descendsFrom, layerIndexOfHistory } from '../oci/image-lineage.js';
import { parseJson } from '../oci/parse-json.js';
import { manifestSchema, type ContainerConfig, type ImageConfig } from '../oci/schemas.js';
import { openLayerStream } from '../snapshots/decompress.js';

interface SourceImage {
  image: ImageRecord;
  config: ImageConfig;
}

export class CacheSources {
  #sources: SourceImage[];

  private constructor(private readonly images: ImageService, sources: SourceImage[]) {
    this.#sources = sources;
  }

  /** The images `refs` name; names of images this node does not have are skipped, as Docker skips them. */
  static async open(images: ImageService, refs: readonly string[]): Promise<CacheSources> {
    const sources: SourceImage[] = [];
    for (const ref of refs) {
      let image: ImageRecord;
      try {
        image = images.resolve(ref);
      } catch (err) {
        if (isBerthError(err, 'not-found')) continue;
        throw err;
      }
      if (!sources.some((s) => s.image.id === image.id)) sources.push({ image, config: await images.config(image) });
    }
    return new CacheSources(images, sources);
  }

  /** A copy for one stage (each stage follows its own source). */
  forStage(): CacheSources {
    return new CacheSources(this.images, [...this.#sources]);
  }

  /** Whether a hit of the node's own cache may be used: it is a source, or a source was built on it. */
  async allows(hit: ImageRecord): Promise<boolean> {
    if (this.#sources.some((s) => s.image.id === hit.id)) return true;
    const config = await this.images.config(hit);
    return this.#sources.some((s) => descendsFrom(s.config, config));
  }

  /**
   * The step's image from a source whose next entry after `parent` is `createdBy` (`config`: the
   * step's container config, for an image made on the way, recorded with what `alsoRecord`
   * writes), or undefined when no source has it.
   */
  async restore(parent: ImageRecord | undefined, createdBy: string, config: ContainerConfig, alsoRecord?: (image: Digest) => void): Promise<ImageRecord | undefined> {
    const parentConfig = parent === undefined ? undefined : await this.images.config(parent);
    const at = parentConfig?.history?.length ?? 0;
    for (const source of this.#sources) {
      const history = source.config.history ?? [];
      const entry = history[at];
      if (entry?.created_by !== createdBy) continue;
      if (parentConfig !== undefined && !descendsFrom(source.config, parentConfig)) continue;
      this.#sources = [source];
      if (at === history.length - 1) return source.image;
      const layer = layerIndexOfHistory(history, at);
      const manifest = parseJson(manifestSchema, await this.images.content.readBytes(source.image.manifestDigest), `manifest ${source.image.manifestDigest}`);
      const blob = layer === undefined ? undefined : manifest.layers[layer];
      return this.images.commit({
        ...(parent !== undefined && { parent }),
        // The layer as its plain tar: the same diff ID, so the same snapshot as the source's.
        ...(blob !== undefined && { layer: () => openLayerStream(createReadStream(this.images.content.path(blob.digest))) }),
        config,
        history: {
          createdBy,
          ...(entry.created !== undefined && { created: entry.created }),
          ...(entry.author !== undefined && { author: entry.author }),
          ...(entry.comment !== undefined && { comment: entry.comment }),
        },
        names: [],
        ...(alsoRecord !== undefined && { alsoRecord }),
      });
    }
    return undefined;
  }
}
