/**
 * The image service of a state root opened in the berth process for one command (`--root` /
 * BERTH_ROOT, no berthd): the same service berthd runs, its image events recorded in the node's
 * event log as berthd records them (berthd applies the retention).
 */
import type { ImageService } from '../../images/image-service.js';
import type { GlobalOptions } from '../../cli/args/command-spec.js';
import { progress, stateRootOf } from '../../cli/context.js';
import { processClock, processRunner } from './process-parts.js';

/** Runs `work` with the image service of the command's state root, closed afterwards. */
export async function withImages<T>(globals: GlobalOptions, work: (images: ImageService) => Promise<T>, options: { quiet?: boolean } = {}): Promise<T> {
  const { openImageNode } = await import('../image-node.js');
  const service = await openImageNode(stateRootOf(globals), { runner: processRunner, clock: processClock, ...(options.quiet !== true && { onProgress: progress }) });
  const { EventLog } = await import('../../events/event-log.js');
  const log = new EventLog(service.db, { maxCount: Number.MAX_SAFE_INTEGER, maxAgeMs: 0 });
  service.events.listen((action, id, attributes) => { log.record('image', action, { id, attributes }); });
  try {
    return await work(service);
  } finally {
    await service.close();
  }
}
