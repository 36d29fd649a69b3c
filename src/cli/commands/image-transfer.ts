import { createReadStream } from 'node:fs';
import type { Command } from 'commander';
import { errors } from '../../base/errors.js';
import { familiarName, formatReference, parseTaggedReference } from '../../oci/reference.js';
import type { ImageRecord } from '../../images/image-record.js';
import { SAVE_FORMATS, type SaveFormat } from '../../images/image-saver.js';
import { withImages } from '../context.js';
import { humanSize } from '../format.js';

function announce(images: ImageRecord[]): void {
  for (const image of images) {
    if (image.names.length === 0) process.stdout.write(`Loaded image ID: ${image.id}\n`);
    for (const name of image.names) process.stdout.write(`Loaded image: ${familiarName(name)}\n`);
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function registerImageTransfer(image: Command): void {
  image
    .command('load')
    .description('Load images from a docker-archive or OCI layout (tar, gzip/zstd tar, or directory)')
    .option('-i, --input <path>', 'read from this file or OCI layout directory instead of stdin')
    .action(async (options: { input?: string }, command: Command) => {
      if (options.input === undefined && process.stdin.isTTY) {
        throw errors.invalidArgument('no-input', 'requested load from stdin, but stdin is a terminal: use -i FILE or a pipe');
      }
      await withImages(command, async (service) => {
        announce(await service.load(options.input !== undefined ? { path: options.input } : { stream: process.stdin }));
      });
    });

  image
    .command('save')
    .description('Save images to a tar archive (stdout by default) or an OCI layout directory')
    .argument('<image...>', 'image names or ids')
    .option('-o, --output <path>', 'write to this file (or directory, for oci-dir)')
    .option('--format <format>', `archive format: ${SAVE_FORMATS.join(', ')}`, 'docker-archive')
    .action(async (refs: string[], options: { output?: string; format: string }, command: Command) => {
      if (!(SAVE_FORMATS as readonly string[]).includes(options.format)) {
        throw errors.invalidArgument('unknown-format', `unknown --format ${options.format} (${SAVE_FORMATS.join(', ')})`);
      }
      if (options.output === undefined && process.stdout.isTTY) {
        throw errors.invalidArgument('no-output', 'refusing to write an archive to a terminal: use -o FILE or redirect stdout');
      }
      await withImages(command, (service) =>
        service.save(refs, options.format as SaveFormat, options.output !== undefined ? { path: options.output } : { stream: process.stdout }),
      );
    });

  image
    .command('import')
    .description('Create an image from a root filesystem tarball (plain, gzip or zstd; - for stdin)')
    .argument('<file>', 'tarball path, or - for stdin')
    .argument('[reference]', 'name[:tag] for the new image')
    .option('-c, --change <instruction>', 'apply a Dockerfile instruction (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, USER, VOLUME, WORKDIR, STOPSIGNAL)', collect, [])
    .option('-m, --message <text>', 'history comment for the imported layer')
    .action(async (file: string, reference: string | undefined, options: { change: string[]; message?: string }, command: Command) => {
      const names = reference === undefined ? [] : [formatReference(parseTaggedReference(reference))];
      const source = file === '-' ? process.stdin : createReadStream(file);
      await withImages(command, async (service) => {
        const image = await service.import(source, { names, changes: options.change, ...(options.message !== undefined && { message: options.message }) });
        process.stdout.write(`${image.id}\n`);
      });
    });

  image
    .command('bootstrap')
    .description('Make an image without a registry: busybox (from the host busybox-static) or debian:<suite> (debootstrap)')
    .argument('<kind>', 'busybox | debian:bookworm | debian:<suite>')
    .option('-t, --tag <name>', 'name for the image (default busybox:latest / debian:<suite>)')
    .action(async (kind: string, options: { tag?: string }, command: Command) => {
      await withImages(command, async (service) => {
        announce([await service.bootstrap(kind, options.tag)]);
      });
    });

  image
    .command('prune')
    .description('Remove dangling images (no name), or with --all every image no container uses')
    .option('-a, --all', 'remove all unused images, not just dangling ones')
    .option('-f, --force', 'do not prompt (berth never prompts; accepted for compatibility)')
    .action(async (options: { all?: boolean }, command: Command) => {
      await withImages(command, async (service) => {
        const { removed, spaceReclaimed } = await service.prune(options.all === true);
        if (removed.length > 0) process.stdout.write('Deleted Images:\n');
        for (const item of removed) {
          process.stdout.write('Untagged' in item ? `untagged: ${familiarName(item.Untagged)}\n` : `deleted: ${item.Deleted}\n`);
        }
        process.stdout.write(`\nTotal reclaimed space: ${humanSize(spaceReclaimed)}\n`);
      });
    });
}
