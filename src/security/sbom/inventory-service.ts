import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { errnoCode, errors } from '../../base/errors.js';
import type { ProcessRunner } from '../../base/process-runner.js';
import type { Readable } from 'node:stream';
import type { Digest } from '../../base/digest.js';
import type { ImageService } from '../../images/image-service.js';
import { openLayerStream } from '../../snapshots/decompress.js';
import { unpackLayer } from '../../snapshots/layer-unpacker.js';
import { mergeLayers } from './image-inventory.js';
import type { InventoryCache } from './inventory-cache.js';
import type { ImageInventory, LayerInventory } from './package-types.js';
import { walkLayer } from './layer-walker.js';

/** What an inventory of an image was made from. */
export interface ImageInventoryResult {
  inventory: ImageInventory;
  imageId?: string;
  layers: LayerInventory[];
}

/** Counters of the work done, for progress and for tests of the cache. */
export interface InventoryStats {
  layersRead: number;
  layersFromCache: number;
}

/**
 * Inventories of images (layer by layer, cached by diff ID), plain directories and root
 * filesystem tarballs. Safe to use from several calls at once; two calls may read the same new
 * layer twice, which only costs time.
 */
export class InventoryService {
  readonly stats: InventoryStats = { layersRead: 0, layersFromCache: 0 };

  constructor(private readonly cache: InventoryCache, private readonly runner: ProcessRunner) {}

  /** The layer inventories of an image in the store, read only where the cache has none. */
  async ofImage(images: ImageService, ref: string): Promise<ImageInventoryResult> {
    const image = images.resolve(ref);
    const config = await images.config(image);
    const dirs = images.layerDirs(config);
    const layers: LayerInventory[] = [];
    for (const [index, diffId] of config.rootfs.diff_ids.entries()) {
      const cached = this.cache.get(diffId);
      if (cached) {
        this.stats.layersFromCache++;
        layers.push(cached);
        continue;
      }
      const inventory = await walkLayer(dirs[index] ?? '', diffId, { runner: this.runner, detectOpaque: index > 0 });
      this.stats.layersRead++;
      this.cache.put(inventory);
      layers.push(inventory);
    }
    return { inventory: mergeLayers(image.names[0] ?? image.id, layers), imageId: image.id, layers };
  }

  /**
   * The layer inventories of an image that is not in the store (a registry's): each layer's tar
   * (compressed or not) unpacked into a scratch directory as an overlay lower directory (its diff
   * ID checked), walked, and cached by diff ID, where the cache has none.
   */
  async ofLayers(subject: string, layers: readonly { diffId: Digest; open: () => Promise<Readable> }[]): Promise<ImageInventoryResult> {
    const inventories: LayerInventory[] = [];
    for (const [index, layer] of layers.entries()) {
      const cached = this.cache.get(layer.diffId);
      if (cached) {
        this.stats.layersFromCache++;
        inventories.push(cached);
        continue;
      }
      const dir = await mkdtemp(join(tmpdir(), 'berth-scan-layer-'));
      try {
        await unpackLayer(openLayerStream(await layer.open()), dir, { runner: this.runner, expectedDiffId: layer.diffId });
        const inventory = await walkLayer(dir, layer.diffId, { runner: this.runner, detectOpaque: index > 0 });
        this.stats.layersRead++;
        this.cache.put(inventory);
        inventories.push(inventory);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
    return { inventory: mergeLayers(subject, inventories), layers: inventories };
  }

  /** A directory (a root filesystem on disk) or a root filesystem tarball, never cached. */
  async ofPath(path: string): Promise<ImageInventoryResult> {
    const abs = resolve(path);
    let info;
    try {
      info = await stat(abs);
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') throw errors.notFound('scan-target-not-found', `${path}: no such image, directory or file`);
      throw err;
    }
    if (info.isDirectory()) {
      const layer = await walkLayer(abs, `dir:${abs}`);
      this.stats.layersRead++;
      return { inventory: mergeLayers(abs, [layer], false), layers: [layer] };
    }
    const dir = await mkdtemp(join(tmpdir(), 'berth-scan-'));
    try {
      // GNU tar refuses members that climb out of the target (`..`, absolute names) by default.
      await this.runner.run('tar', ['-xf', abs, '-C', dir, '--no-same-owner', '--no-same-permissions', '--exclude=dev/*']);
      const layer = await walkLayer(dir, `tar:${abs}`);
      this.stats.layersRead++;
      return { inventory: mergeLayers(abs, [layer], false), layers: [layer] };
    } catch (err) {
      throw errors.invalidArgument('unreadable-tarball', `${path}: not a readable root filesystem tarball`, { cause: err });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
