/**
 * `GET /system/df`: disk usage as Docker reports it — the unpacked layers, every image with the
 * number of containers using it, every container with the size of its writable layer, every
 * volume with its size and number of users, and the build's cache-mount directories.
 */
import type { FastifyInstance } from 'fastify';
import type { Builder } from '../../build/builder.js';
import type { ContainerEngine } from '../../engine/container-engine.js';
import type { ImageService } from '../../images/image-service.js';
import type { VolumeService } from '../../volumes/volume-service.js';
import { volumeView } from '../volume-views.js';
import { listView as containerSummary } from '../container-views.js';
import { listView as imageSummary } from '../image-listing.js';
import type { BuildCacheRecord, DiskUsage } from '../../wire/system.js';
import { undefinedIfGone } from '../gone.js';

/** Docker's BuildCache record for a `RUN --mount=type=cache` directory (BuildKit's type `exec.cachemount`). */
async function cacheMountRecords(builder: Builder | undefined): Promise<BuildCacheRecord[]> {
  if (builder === undefined) return [];
  return (await builder.cacheMounts.list()).map((mount) => ({
    ID: mount.name.slice(0, 25), Parent: '', Parents: null, Type: 'exec.cachemount', Description: `cache mount ${mount.id}`,
    InUse: mount.inUse, Shared: false, Size: mount.size, CreatedAt: mount.createdAt.toISOString(), LastUsedAt: null, UsageCount: 0,
  }));
}

export function systemDiskUsageRoutes(app: FastifyInstance, images: ImageService, engine: ContainerEngine, volumeService: VolumeService, builder?: Builder): void {
  app.get('/system/df', async (request, reply) => {
    const usage = await images.diskUsage();
    const records = engine.list();
    const imageUsers = new Map<string, number>();
    for (const record of records) imageUsers.set(record.imageId, (imageUsers.get(record.imageId) ?? 0) + 1);
    const now = new Date();
    const containers = await Promise.all(records.map(async (record) => {
      // Either may have gone since the listing: counted as nothing.
      const image = await engine.imageConfig(record.imageId).catch(undefinedIfGone((err) => { request.log.warn({ err, id: record.id, imageId: record.imageId }, 'reading the image config of a container failed'); }));
      const sizeRw = (await engine.writableLayers.size(record.id).catch(undefinedIfGone((err) => { request.log.warn({ err, id: record.id }, 'measuring a container\'s writable layer failed'); }))) ?? 0;
      const imageSize = images.list().find((i) => i.id === record.imageId)?.size ?? 0;
      return { ...containerSummary(record, image?.config, now), SizeRw: sizeRw, SizeRootFs: sizeRw + imageSize };
    }));
    const users = engine.volumeUsage.users();
    const volumes = await Promise.all(volumeService.list().map(async (volume) => volumeView(volume, volumeService.dataDir(volume.name), {
      size: await engine.volumeUsage.size(volume.name), refCount: users.get(volume.name)?.length ?? 0,
    })));
    const answer: DiskUsage = {
      LayersSize: usage.layersSize,
      Images: usage.images.map((image) => ({ ...imageSummary(image), Containers: imageUsers.get(image.id) ?? 0, SharedSize: 0 })),
      Containers: containers,
      Volumes: volumes,
      BuildCache: await cacheMountRecords(builder),
    };
    return reply.send(answer);
  });
}
