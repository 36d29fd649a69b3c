import type { Command } from 'commander';
import { familiarName } from '../../oci/reference.js';
import type { ImageRecord } from '../../images/image-record.js';
import { humanSize, relativeTime, renderTable, shortId } from '../format.js';
import { outputFormat, printJson, withImages } from '../context.js';

function splitName(name: string): [string, string] {
  const familiar = familiarName(name);
  const colon = familiar.lastIndexOf(':');
  return [familiar.slice(0, colon), familiar.slice(colon + 1)];
}

/** One row per name (or one `<none>` row), as `docker images` prints. */
export function imageRows(images: ImageRecord[], now: Date): string[][] {
  return images.flatMap((image) => {
    const names = image.names.length > 0 ? image.names.map(splitName) : [['<none>', '<none>'] as [string, string]];
    return names.map(([repo, tag]) => [repo, tag, shortId(image.id), relativeTime(new Date(image.createdAt), now), humanSize(image.size)]);
  });
}

export function registerImageList(image: Command): void {
  image
    .command('ls')
    .alias('list')
    .description('List images')
    .option('-q, --quiet', 'only show image ids')
    .option('-a, --all', 'show all images (no intermediate images are hidden today; accepted for compatibility)')
    .option('--format <format>', 'table or json', 'table')
    .action(async (options: { quiet?: boolean; format?: string }, command: Command) => {
      const format = outputFormat(options.format);
      await withImages(command, async (service) => {
        const images = service.list();
        if (format === 'json') {
          printJson(images.map((i) => ({ Id: i.id, RepoTags: i.names.map(familiarName), Names: i.names, Created: i.createdAt, Size: i.size, Platform: [i.os, i.architecture, i.variant].filter(Boolean).join('/') })));
        } else if (options.quiet) {
          process.stdout.write([...new Set(images.map((i) => shortId(i.id)))].map((id) => `${id}\n`).join(''));
        } else {
          process.stdout.write(`${renderTable(['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE'], imageRows(images, new Date()))}\n`);
        }
        return Promise.resolve();
      });
    });
}
