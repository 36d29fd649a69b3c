import type { Command } from 'commander';
import { humanSize, renderTable } from '../format.js';
import { outputFormat, printJson, withImages } from '../context.js';

export function registerSystem(program: Command): void {
  const system = program.command('system').description('Manage berth');
  system
    .command('df')
    .description('Show disk usage')
    .option('--format <format>', 'table or json', 'table')
    .action(async (options: { format?: string }, command: Command) => {
      const format = outputFormat(options.format);
      await withImages(command, async (service) => {
        const usage = await service.diskUsage();
        const imagesSize = usage.layersSize + usage.blobsSize;
        // No containers exist yet, so every image is unused and reclaimable.
        const rows = [
          { Type: 'Images', Total: usage.images.length, Active: 0, Size: imagesSize, Reclaimable: imagesSize },
          { Type: 'Containers', Total: 0, Active: 0, Size: 0, Reclaimable: 0 },
          { Type: 'Local Volumes', Total: 0, Active: 0, Size: 0, Reclaimable: 0 },
          { Type: 'Build Cache', Total: 0, Active: 0, Size: 0, Reclaimable: 0 },
        ];
        if (format === 'json') {
          printJson({ ...Object.fromEntries(rows.map((r) => [r.Type, r])), LayersSize: usage.layersSize, BlobsSize: usage.blobsSize });
          return;
        }
        const percent = (part: number, whole: number) => (whole === 0 ? '0B' : `${humanSize(part)} (${Math.round((100 * part) / whole)}%)`);
        const table = rows.map((r) => [r.Type, String(r.Total), String(r.Active), humanSize(r.Size), percent(r.Reclaimable, r.Size)]);
        process.stdout.write(`${renderTable(['TYPE', 'TOTAL', 'ACTIVE', 'SIZE', 'RECLAIMABLE'], table)}\n`);
      });
    });
}
