/**
 * `GET /system/df`: disk usage as Docker reports it — the unpacked layers, every image with the
 * number of containers using it, every container with the size of its writable layer.
 */
import type { FastifyInstance } from 'fastify';
import type { ContainerEngine } from '../../engine/container-engine.js';
import type { ImageService } from '../../images/image-service.js';
import { listView as containerSummary } from '../container-views.js';
import { listView as imageSummary } from './images.js';

export function systemDiskUsageRoutes(app: FastifyInstance, images: ImageService, engine: ContainerEngine): void {
  app.get('/system/df', async (_request, reply) => {
    const usage = await images.diskUsage();
    const records = engine.list();
    const users = new Map<string, number>();
    for (const record of records) users.set(record.imageId, (users.get(record.imageId) ?? 0) + 1);
    const now = new Date();
    const containers = await Promise.all(records.map(async (record) => {
      const image = await engine.imageConfig(record.imageId).catch(() => undefined);
      const sizeRw = await images.snapshotter.usage(engine.paths.snapshotKey(record.id)).catch(() => 0);
      const imageSize = images.list().find((i) => i.id === record.imageId)?.size ?? 0;
      return { ...containerSummary(record, image?.config, now), SizeRw: sizeRw, SizeRootFs: sizeRw + imageSize };
    }));
    return reply.send({
      LayersSize: usage.layersSize,
      Images: usage.images.map((image) => ({ ...imageSummary(image), Containers: users.get(image.id) ?? 0, SharedSize: 0 })),
      Containers: containers,
      Volumes: [],
      BuildCache: [],
    });
  });
}
