import type { Command } from 'commander';
import { familiarName } from '../../oci/reference.js';
import { historyView, inspectView } from '../../images/image-views.js';
import { humanSize, relativeTime, renderTable, shortId } from '../format.js';
import { outputFormat, printJson, withImages } from '../context.js';

export function registerImageInspect(image: Command): void {
  image
    .command('inspect')
    .description('Show details of one or more images (JSON)')
    .argument('<image...>', 'image names or ids')
    .action(async (refs: string[], _options: unknown, command: Command) => {
      await withImages(command, async (service) => {
        const views = [];
        for (const ref of refs) {
          const record = service.resolve(ref);
          const config = await service.config(record);
          views.push(inspectView(record, config, service.layerDirs(config)));
        }
        printJson(views);
      });
    });

  image
    .command('history')
    .description('Show the history of an image')
    .argument('<image>', 'image name or id')
    .option('--no-trunc', 'do not truncate output')
    .option('--format <format>', 'table or json', 'table')
    .action(async (ref: string, options: { trunc: boolean; format?: string }, command: Command) => {
      const format = outputFormat(options.format);
      await withImages(command, async (service) => {
        const record = service.resolve(ref);
        const config = await service.config(record);
        const rows = historyView(record, config, service.layerSizes(config));
        if (format === 'json') {
          printJson(rows);
          return;
        }
        const now = new Date();
        const table = rows.map((row) => [
          row.Id === '<missing>' || !options.trunc ? row.Id : shortId(row.Id),
          relativeTime(new Date(row.Created * 1000), now),
          options.trunc && row.CreatedBy.length > 45 ? `${row.CreatedBy.slice(0, 44)}…` : row.CreatedBy,
          humanSize(row.Size),
          row.Comment,
        ]);
        process.stdout.write(`${renderTable(['IMAGE', 'CREATED', 'CREATED BY', 'SIZE', 'COMMENT'], table)}\n`);
      });
    });

  image
    .command('tag')
    .description('Give an image a new name')
    .argument('<source>', 'image name or id')
    .argument('<target>', 'new name[:tag]')
    .action(async (source: string, target: string, _options: unknown, command: Command) => {
      await withImages(command, (service) => {
        service.tag(source, target);
        return Promise.resolve();
      });
    });

  image
    .command('rm')
    .alias('remove')
    .description('Remove one or more images')
    .argument('<image...>', 'image names or ids')
    .option('-f, --force', 'remove an image that has several names')
    .action(async (refs: string[], options: { force?: boolean }, command: Command) => {
      await withImages(command, async (service) => {
        for (const item of await service.remove(refs, options.force === true)) {
          process.stdout.write('Untagged' in item ? `Untagged: ${familiarName(item.Untagged)}\n` : `Deleted: ${item.Deleted}\n`);
        }
      });
    });
}
