/** The image commands through berthd's API (the default, without --root / BERTH_ROOT). */
import { createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { errnoCode, errors, messageOf } from '../../base/errors.js';
import type { ImageInspect, JsonMessage } from '../../wire/images.js';
import { formatReference, parseTaggedReference } from '../../oci/reference.js';
import { forEachTarget, printJson, withClient } from '../context.js';
import type { ImageCommands } from './image-operations.js';
import { compressionOfFlags, compressionQuery } from './compression-flags.js';
import { berthScanThroughDaemon } from './image-scan-field.js';
import { printDiskUsage, printHistory, printImageList, printPrune, removalLines, type ImageListEntry } from './image-output.js';

/** `name[:tag]` → [repository, tag]; a `:` before the last `/` is a registry port. */
export function splitReference(reference: string): [string, string] {
  const colon = reference.lastIndexOf(':');
  return colon > reference.lastIndexOf('/') ? [reference.slice(0, colon), reference.slice(colon + 1)] : [reference, 'latest'];
}

/** Prints a progress stream's lines; an `error` message (failure after the answer began) throws internal. */
function printMessages(messages: JsonMessage[], key: 'stream' | 'status'): void {
  for (const message of messages) {
    const failure = message.error ?? message.errorDetail?.message;
    if (failure !== undefined) throw errors.internal('daemon-stream-error', failure);
    const text = message[key];
    if (text !== undefined) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }
}

/** The input file, opened before anything is sent (a file that cannot be read fails naming it), or stdin. */
async function inputStream(file: string | undefined, what: string): Promise<Readable> {
  if (file !== undefined && file !== '-') {
    try {
      return (await open(file)).createReadStream();
    } catch (err) {
      throw errors.invalidArgument('unreadable-input', `${what}: cannot read ${file}: ${errnoCode(err) ?? messageOf(err)}`, { cause: err });
    }
  }
  if (process.stdin.isTTY) throw errors.invalidArgument('no-input', `requested ${what} from stdin, but stdin is a terminal: use a file or a pipe`);
  return process.stdin;
}

function platformOf(inspected: ImageInspect): string {
  return [inspected.Os, inspected.Architecture, inspected.Variant].filter((v) => v !== undefined && v !== '').join('/');
}

/** The image commands through berthd (`--host` / BERTH_HOST). */
export const remoteImageCommands: ImageCommands = {
  list: (globals, flags) => withClient(globals, async (client) => {
    const summaries = await client.images.list(undefined, flags.all === true);
    const json = flags.format === 'json';
    const entries: ImageListEntry[] = await Promise.all(summaries.map(async (s) => {
      const tags = s.RepoTags.filter((t) => t !== '<none>:<none>');
      return {
        Id: s.Id, RepoTags: tags, Names: tags.map((t) => formatReference(parseTaggedReference(t))).sort(),
        Created: new Date(s.Created * 1000).toISOString(), Size: s.Size,
        Platform: json ? platformOf(await client.images.inspect(s.Id)) : '',
      };
    }));
    printImageList(entries, flags);
  }),

  inspect: (globals, refs) => withClient(globals, async (client) => {
    const views = [];
    for (const ref of refs) {
      const view = await client.images.inspect(ref);
      views.push({ ...view, BerthScan: await berthScanThroughDaemon(client, view.Id) });
    }
    printJson(views);
  }),

  history: (globals, ref, flags) => withClient(globals, async (client) => {
    printHistory(await client.images.history(ref), flags);
  }),

  tag: (globals, source, target) => withClient(globals, async (client) => {
    await client.images.tag(source, ...splitReference(target));
  }),

  remove: (globals, refs, force) => withClient(globals, (client) => forEachTarget(refs, async (ref) => {
    process.stdout.write(removalLines(await client.images.remove(ref, force)));
  })),

  load: (globals, input, repository) => withClient(globals, async (client) => {
    printMessages(await client.images.load(await inputStream(input, 'load'), repository), 'stream');
  }),

  save: async (globals, refs, flags) => {
    if (flags.format !== 'docker-archive') {
      throw errors.failedPrecondition('format-needs-root', `--format ${flags.format}: berthd serves docker-archive only; use --root DIR for OCI formats`);
    }
    const compression = compressionOfFlags(flags);
    if (flags.output === undefined && process.stdout.isTTY) {
      throw errors.invalidArgument('no-output', 'refusing to write an archive to a terminal: use -o FILE or redirect stdout');
    }
    await withClient(globals, async (client) => {
      const archive = await client.images.save(refs, compressionQuery(compression));
      await pipeline(archive, flags.output === undefined ? process.stdout : createWriteStream(flags.output));
    });
  },

  import: (globals, file, reference, flags) => withClient(globals, async (client) => {
    const [repo, tag] = reference === undefined ? [undefined, undefined] : splitReference(reference);
    const messages = await client.images.import(await inputStream(file, 'import'), {
      changes: flags.change,
      ...(repo === undefined ? {} : { repo, tag }),
      ...(flags.message === undefined ? {} : { message: flags.message }),
    });
    printMessages(messages, 'status');
  }),

  prune: (globals, all) => withClient(globals, async (client) => {
    const { ImagesDeleted, SpaceReclaimed } = await client.images.prune(all);
    printPrune(ImagesDeleted ?? [], SpaceReclaimed);
  }),

  diskUsage: (globals, format) => withClient(globals, async (client) => {
    const usage = await client.diskUsage();
    const images = usage.Images;
    const unusedImages = images.filter((i) => i.Containers === 0);
    const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
    const containers = usage.Containers;
    const stopped = containers.filter((c) => c.State !== 'running' && c.State !== 'paused');
    const volumes = usage.Volumes ?? [];
    const cache = usage.BuildCache ?? [];
    printDiskUsage([
      { Type: 'Images', Total: images.length, Active: images.length - unusedImages.length, Size: usage.LayersSize, Reclaimable: sum(unusedImages.map((i) => i.Size)) },
      { Type: 'Containers', Total: containers.length, Active: containers.length - stopped.length, Size: sum(containers.map((c) => c.SizeRw ?? 0)), Reclaimable: sum(stopped.map((c) => c.SizeRw ?? 0)) },
      {
        Type: 'Local Volumes', Total: volumes.length, Active: volumes.filter((v) => (v.UsageData?.RefCount ?? 0) > 0).length,
        Size: sum(volumes.map((v) => Math.max(0, v.UsageData?.Size ?? 0))), Reclaimable: sum(volumes.filter((v) => (v.UsageData?.RefCount ?? 0) === 0).map((v) => Math.max(0, v.UsageData?.Size ?? 0))),
      },
      { Type: 'Build Cache', Total: cache.length, Active: cache.filter((c) => c.InUse).length, Size: sum(cache.map((c) => c.Size)), Reclaimable: sum(cache.filter((c) => !c.InUse).map((c) => c.Size)) },
    ], format, {});
  }),
};
