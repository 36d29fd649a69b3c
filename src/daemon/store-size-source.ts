import type { ImageService } from '../images/image-service.js';
import type { StoreSizeSource } from '../metrics/index.js';
import type { VolumeService } from '../volumes/volume-service.js';

const sum = (sizes: readonly { size: number }[]): number => sizes.reduce((total, s) => total + s.size, 0);

/** What `berth_store_*` reads (metrics/store-sizes.ts): the sizes the image store recorded, and the volume list. */
export function storeSizeSource(images: ImageService, volumes: VolumeService): StoreSizeSource {
  return {
    databasePath: images.root.database,
    async sizes() {
      const layers = images.snapshotter.list().filter((s) => s.kind === 'committed');
      const blobs = await images.content.list();
      return {
        images: images.list().length,
        layers: { count: layers.length, bytes: sum(layers) },
        blobs: { count: blobs.length, bytes: sum(blobs) },
        volumes: volumes.list().length,
      };
    },
  };
}
