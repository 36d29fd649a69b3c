/**
 * The image commands in the berth process, on the state root of `--root` / BERTH_ROOT (no daemon
 * needed): the CLI's in-process port (cli/berth-ports.ts), with the CLI's output (image-output.ts).
 */
import { createReadStream } from 'node:fs';
import type { GlobalOptions } from '../../cli/args/command-spec.js';
import { errors } from '../../base/errors.js';
import { familiarName, formatReference, parseTaggedReference } from '../../oci/reference.js';
import type { ImageRecord } from '../../images/image-record.js';
import { historyView, inspectView } from '../../images/image-views.js';
import { SAVE_FORMATS, type SaveFormat } from '../../images/image-saver.js';
import { printJson, stateRootOf } from '../../cli/context.js';
import type { ImageCommands } from '../../cli/commands/image-operations.js';
import { compressionOfFlags } from '../../cli/commands/compression-flags.js';
import { printDiskUsage, printHistory, printImageList, printPrune, removalLines, type ImageListEntry } from '../../cli/commands/image-output.js';
import { berthScanInProcess } from './image-scan-local.js';
import { withImages } from './local-images.js';

function announce(images: ImageRecord[]): void {
  for (const image of images) {
    if (image.names.length === 0) process.stdout.write(`Loaded image ID: ${image.id}\n`);
    for (const name of image.names) process.stdout.write(`Loaded image: ${familiarName(name)}\n`);
  }
}

function listEntry(image: ImageRecord): ImageListEntry {
  return {
    Id: image.id, RepoTags: image.names.map(familiarName), Names: image.names, Created: image.createdAt, Size: image.size,
    Platform: [image.os, image.architecture, image.variant].filter(Boolean).join('/'),
  };
}

/** `image bootstrap`: always in this process, on the command's state root. */
export async function bootstrap(globals: GlobalOptions, kind: string, tag: string | undefined): Promise<void> {
  await withImages(globals, async (service) => { announce([await service.bootstrap(kind, tag)]); });
}

/** The image commands on the state root of `--root` / BERTH_ROOT. */
export const localImageCommands: ImageCommands = {
  list: (globals, flags) => withImages(globals, (service) => {
    printImageList(service.list().map(listEntry), flags);
    return Promise.resolve();
  }),

  inspect: (globals, refs) => withImages(globals, async (service) => {
    const views = [];
    for (const ref of refs) {
      const record = service.resolve(ref);
      const config = await service.config(record);
      views.push({ ...inspectView(record, config, service.layerDirs(config)), BerthScan: await berthScanInProcess(stateRootOf(globals), record.id) });
    }
    printJson(views);
  }),

  history: (globals, ref, flags) => withImages(globals, async (service) => {
    const record = service.resolve(ref);
    const config = await service.config(record);
    printHistory(historyView(record, config, service.layerSizes(config)), flags);
  }),

  tag: (globals, source, target) => withImages(globals, (service) => {
    service.tag(source, target);
    return Promise.resolve();
  }),

  remove: (globals, refs, force) => withImages(globals, async (service) => {
    const items = await service.remove(refs, force);
    process.stdout.write(removalLines(items.map((item) => ('Untagged' in item ? { Untagged: familiarName(item.Untagged) } : item))));
  }),

  load: async (globals, input, repository) => {
    if (input === undefined && process.stdin.isTTY) {
      throw errors.invalidArgument('no-input', 'requested load from stdin, but stdin is a terminal: use -i FILE or a pipe');
    }
    await withImages(globals, async (service) => {
      const options = { ...(repository !== undefined && { repository }), onNote: (note: string) => process.stdout.write(`${note}\n`) };
      announce(await service.load(input !== undefined ? { path: input } : { stream: process.stdin }, options));
    });
  },

  save: async (globals, refs, flags) => {
    if (!(SAVE_FORMATS as readonly string[]).includes(flags.format)) {
      throw errors.invalidArgument('unknown-format', `unknown --format ${flags.format} (${SAVE_FORMATS.join(', ')})`);
    }
    const compression = compressionOfFlags(flags);
    if (flags.output === undefined && process.stdout.isTTY) {
      throw errors.invalidArgument('no-output', 'refusing to write an archive to a terminal: use -o FILE or redirect stdout');
    }
    await withImages(globals, (service) =>
      service.save(refs, flags.format as SaveFormat, flags.output !== undefined ? { path: flags.output } : { stream: process.stdout }, compression));
  },

  import: async (globals, file, reference, flags) => {
    const names = reference === undefined ? [] : [formatReference(parseTaggedReference(reference))];
    const source = file === '-' ? process.stdin : createReadStream(file);
    await withImages(globals, async (service) => {
      const image = await service.import(source, { names, changes: flags.change, ...(flags.message !== undefined && { message: flags.message }) });
      process.stdout.write(`${image.id}\n`);
    });
  },

  prune: (globals, all) => withImages(globals, async (service) => {
    const { removed, spaceReclaimed } = await service.prune(all);
    printPrune(removed.map((item) => ('Untagged' in item ? { Untagged: familiarName(item.Untagged) } : item)), spaceReclaimed);
  }),

  diskUsage: (globals, format) => withImages(globals, async (service) => {
    const usage = await service.diskUsage();
    const imagesSize = usage.layersSize + usage.blobsSize;
    // In-process there is no daemon to ask about containers: every image counts as unused.
    printDiskUsage([
      { Type: 'Images', Total: usage.images.length, Active: 0, Size: imagesSize, Reclaimable: imagesSize },
      { Type: 'Containers', Total: 0, Active: 0, Size: 0, Reclaimable: 0 },
      { Type: 'Local Volumes', Total: 0, Active: 0, Size: 0, Reclaimable: 0 },
      { Type: 'Build Cache', Total: 0, Active: 0, Size: 0, Reclaimable: 0 },
    ], format, { LayersSize: usage.layersSize, BlobsSize: usage.blobsSize });
  }),
};
