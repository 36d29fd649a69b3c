/** `system prune`: every stopped container, then unused images (dangling ones, or all unused with -a). */
import type { GlobalOptions } from '../args/command-spec.js';
import { withClient } from '../context.js';
import { humanSize } from '../format.js';

export async function systemPruneAction(globals: GlobalOptions, flags: { all?: boolean }): Promise<void> {
  await withClient(globals, async (client) => {
    const containers = await client.containers.prune();
    const images = await client.images.prune(flags.all === true);
    const deletedContainers = containers.ContainersDeleted ?? [];
    const deletedImages = images.ImagesDeleted ?? [];
    let out = '';
    if (deletedContainers.length > 0) out += `Deleted Containers:\n${deletedContainers.map((id) => `${id}\n`).join('')}\n`;
    if (deletedImages.length > 0) {
      out += `Deleted Images:\n${deletedImages.map((item) => ('Untagged' in item ? `untagged: ${item.Untagged}\n` : `deleted: ${item.Deleted}\n`)).join('')}\n`;
    }
    process.stdout.write(`${out}Total reclaimed space: ${humanSize(containers.SpaceReclaimed + images.SpaceReclaimed)}\n`);
  });
}
