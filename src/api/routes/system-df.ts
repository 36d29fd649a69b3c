/**
 * `GET /system/df`: disk usage as Docker reports it — the unpacked layers, every image with the
 * number of containers using it, every container with the size of its writable layer, every
 * volume with its size and number of users, and the build's cache-mount directories.
 */
import type { FastifyInstance } from 'fastify';
import type { Builder } from '../../build/builder.js';
import type { ContainerEngine } from '../../engine/container-engine.js';
import { volumeSize, volumeUsers } from '../../engine/volume-usage.js';
import type { ImageService } from '../../images/image-service.js';
import { volumeView } from '../volume-views.js';
import { listView as containerSummary } from '../container-views.js';
import { listView as imageSummary } from '../image-listing.js';

/** Docker's BuildCache record for a `RUN --mount=type=cache` directory (BuildKit's type `exec.cachemount`). */
async function cacheMountRecords(builder: Builder | undefined): Promise<object[]> {
  if (builder === undefined) return [];
  return (await builder.cacheMounts.list()).map((mount) => ({
    ID: mount.name.slice(0, 25), Parent: '', Parents: null, Type: 'exec.cachemount', Description: `cache mount ${mount.id}`,
    InUse: mount.inUse, Shared: false, Size: mount.size, CreatedAt: mount.createdAt.toISOString(), LastUsedAt: null, UsageCount: 0,
  }));
}

export function systemDiskUsageRoutes(app: FastifyInstance, images: ImageService, engine: ContainerEngine, builder?: Builder): void {
  app.get('/system/df', async (_request, reply) => {
    const usage = await images.diskUsage();
    const records = engine.list();
    const imageUsers = new Map<string, number>();
    for (const record of records) imageUsers.set(record.imageId, (imageUsers.get(record.imageId) ?? 0) + 1);
    const now = new Date();
    const containers = await Promise.all(records.map(async (record) => {
      const image = await engine.imageConfig(record.imageId).catch(() => undefined);
      const sizeRw = await images.snapshotter.usage(engine.paths.snapshotKey(record.id)).catch(() => 0);
      const imageSize = images.list().find((i) => i.id === record.imageId)?.size ?? 0;
      return { ...containerSummary(record, image?.config, now), SizeRw: sizeRw, SizeRootFs: sizeRw + imageSize };
    }));
    const users = volumeUsers(engine.store);
    const context = { store: engine.store, volumes: engine.volumes, runner: engine.task.runner };
    const volumes = await Promise.all(engine.volumes.list().map(async (volume) => volumeView(volume, engine.volumes.dataDir(volume.name), {
      size: await volumeSize(context, volume.name), refCount: users.get(volume.name)?.length ?? 0,
    })));
    return reply.send({
      LayersSize: usage.layersSize,
      Images: usage.images.map((image) => ({ ...imageSummary(image), Containers: imageUsers.get(image.id) ?? 0, SharedSize: 0 })),
      Containers: containers,
      Volumes: volumes,
      BuildCache: await cacheMountRecords(builder),
    });
  });
}
