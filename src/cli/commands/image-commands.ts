/**
 * `berth image …` and `berth system df` as command specs (and Docker's shortcuts `images`, `rmi`,
 * `load`, `save`, `import`, `tag`, `history`, via main.ts). With `--root` or BERTH_ROOT the work
 * runs in this process on that state root (the in-process port, berth-ports.ts); otherwise
 * through berthd (image-remote.ts). `bootstrap` always runs in-process: it builds images from host tools.
 */
import { argOf, argsOf, flagsOf, type CommandSpec, type GlobalOptions } from '../args/command-spec.js';
import { ports } from '../berth-ports.js';
import { runsInProcess } from '../context.js';
import { PULL_COMMAND, PUSH_COMMAND } from './distribution-commands.js';
import { compressionOptionSpecs } from './compression-flags.js';
import type { ImageCommands, ImageHistoryFlags, ImageImportFlags, ImageListFlags, ImageSaveFlags } from './image-operations.js';

/** The implementation for this invocation's mode, loaded on first use. */
export async function imageCommands(globals: GlobalOptions): Promise<ImageCommands> {
  return runsInProcess(globals) ? ports().inProcess.images : (await import('./image-remote.js')).remoteImageCommands;
}

const FORMAT = { flags: '--format <format>', description: 'table or json', default: 'table' };

/** `berth image …`. */
export const IMAGE_COMMAND: CommandSpec = {
  name: 'image',
  description: 'Manage images (through berthd; in this process with --root)',
  commands: [
    PULL_COMMAND,
    PUSH_COMMAND,
    {
      name: 'ls', aliases: ['list'], description: 'List images',
      options: [
        { flags: '-q, --quiet', description: 'only show image ids' },
        { flags: '-a, --all', description: 'show all images, the intermediate images of build steps too' },
        FORMAT,
      ],
      run: async ({ globals, options }) => { await (await imageCommands(globals)).list(globals, flagsOf<ImageListFlags>(options)); },
    },
    {
      name: 'inspect', description: 'Show details of one or more images (JSON)', args: '<image...>',
      run: async ({ globals, args }) => { await (await imageCommands(globals)).inspect(globals, argsOf(args, 'image')); },
    },
    {
      name: 'history', description: 'Show the history of an image', args: '<image>',
      options: [{ flags: '--no-trunc', description: 'do not truncate output' }, FORMAT],
      run: async ({ globals, args, options }) => { await (await imageCommands(globals)).history(globals, argOf(args, 'image'), flagsOf<ImageHistoryFlags>(options)); },
    },
    {
      name: 'tag', description: 'Give an image a new name', args: '<source> <target>',
      run: async ({ globals, args }) => { await (await imageCommands(globals)).tag(globals, argOf(args, 'source'), argOf(args, 'target')); },
    },
    {
      name: 'rm', aliases: ['remove'], description: 'Remove one or more images', args: '<image...>',
      options: [{ flags: '-f, --force', description: 'remove an image that has several names' }],
      run: async ({ globals, args, options }) => { await (await imageCommands(globals)).remove(globals, argsOf(args, 'image'), options.force === true); },
    },
    {
      name: 'load', description: 'Load images from a docker-archive or OCI archive (tar, gzip/zstd tar; with --root also an OCI layout directory)',
      options: [
        { flags: '-i, --input <path>', description: 'read from this file instead of stdin' },
        { flags: '--name <repository>', description: 'name OCI entries tagged only by a bare tag (ref.name "v1") REPOSITORY:v1' },
      ],
      run: async ({ globals, options }) => { await (await imageCommands(globals)).load(globals, typeof options.input === 'string' ? options.input : undefined, typeof options.name === 'string' ? options.name : undefined); },
    },
    {
      name: 'save', description: 'Save images to a tar archive (stdout by default) or an OCI layout directory', args: '<image...>',
      options: [
        { flags: '-o, --output <path>', description: 'write to this file (or directory, for oci-dir)' },
        { flags: '--format <format>', description: 'archive format: docker-archive; with --root also oci-archive, oci-dir', default: 'docker-archive' },
        ...compressionOptionSpecs('layers as stored'),
      ],
      run: async ({ globals, args, options }) => { await (await imageCommands(globals)).save(globals, argsOf(args, 'image'), flagsOf<ImageSaveFlags>(options)); },
    },
    {
      name: 'import', description: 'Create an image from a root filesystem tarball (plain, gzip or zstd; - for stdin)', args: '<file> [reference]',
      options: [
        { flags: '-c, --change <instruction>', description: 'apply a Dockerfile instruction (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, USER, VOLUME, WORKDIR, STOPSIGNAL)', repeat: true },
        { flags: '-m, --message <text>', description: 'history comment for the imported layer' },
      ],
      run: async ({ globals, args, options }) => {
        const reference = args.reference;
        await (await imageCommands(globals)).import(globals, argOf(args, 'file'), typeof reference === 'string' ? reference : undefined, flagsOf<ImageImportFlags>(options));
      },
    },
    {
      name: 'bootstrap', description: 'Make an image without a registry, in this process on the state root: busybox (host busybox-static) or debian:<suite> (debootstrap)', args: '<kind>',
      options: [{ flags: '-t, --tag <name>', description: 'name for the image (default busybox:latest / debian:<suite>)' }],
      run: async ({ globals, args, options }) => { await ports().inProcess.bootstrap(globals, argOf(args, 'kind'), typeof options.tag === 'string' ? options.tag : undefined); },
    },
    {
      name: 'prune', description: 'Remove dangling images (no name), or with --all every image no container uses',
      options: [
        { flags: '-a, --all', description: 'remove all unused images, not just dangling ones' },
        { flags: '-f, --force', description: 'do not prompt (berth never prompts; accepted for compatibility)' },
      ],
      run: async ({ globals, options }) => { await (await imageCommands(globals)).prune(globals, options.all === true); },
    },
  ],
};

/** `berth system …`. */
export const SYSTEM_COMMAND: CommandSpec = {
  name: 'system',
  description: 'Manage berth',
  commands: [{
    name: 'info', description: 'Show what berthd runs: containers, images, storage, runtimes, kernel', options: [FORMAT],
    run: async ({ globals, options }) => { await (await import('./system-info.js')).systemInfoAction(globals, typeof options.format === 'string' ? options.format : undefined); },
  }, {
    name: 'df', description: 'Show disk usage', options: [FORMAT],
    run: async ({ globals, options }) => { await (await imageCommands(globals)).diskUsage(globals, typeof options.format === 'string' ? options.format : undefined); },
  }, {
    name: 'prune', description: 'Remove stopped containers and dangling images (all unused images with -a)',
    options: [
      { flags: '-a, --all', description: 'remove all unused images, not just dangling ones' },
      { flags: '-f, --force', description: 'do not prompt (berth never prompts; accepted for compatibility)' },
    ],
    run: async ({ globals, options }) => { await (await import('./system-prune.js')).systemPruneAction(globals, { all: options.all === true }); },
  }],
};
