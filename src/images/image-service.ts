import { createWriteStream } from 'node:fs';
import { rm, mkdtemp, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { systemClock, type Clock } from '../base/clock.js';
import type { Digest } from '../base/digest.js';
import { errors } from '../base/errors.js';
import { ownerTag } from '../base/process-alive.js';
import { ChildProcessRunner, type ProcessRunner } from '../base/process-runner.js';
import { StateRoot } from '../base/state-root.js';
import { ContentStore } from '../store/content-store.js';
import { Database } from '../store/database.js';
import { LeaseManager } from '../store/leases.js';
import { parseJson } from '../oci/parse-json.js';
import { formatReference, parseReference, parseTaggedReference, repositoryName } from '../oci/reference.js';
import { imageConfigSchema, type ImageConfig } from '../oci/schemas.js';
import { OverlaySnapshotter } from '../snapshots/overlay-snapshotter.js';
import { UnpackPool } from '../snapshots/unpack-pool.js';
import { diffDirectory } from '../snapshots/layer-differ.js';
import { chainIds } from './chain-id.js';
import { GarbageCollector, type CollectResult } from './garbage-collector.js';
import { loadImages, type LoadInput } from './image-loader.js';
import type { OciLayoutOptions } from './archive/oci-layout-reader.js';
import type { ImageRecord } from './image-record.js';
import { saveArchive, saveDirectory, type SaveFormat, type SaveItem } from './image-saver.js';
import { ImageEvents } from './image-events.js';
import { ImageStore } from './image-store.js';
import { ImageWriter } from './image-writer.js';
import { LoadSession } from './load-session.js';
import { importRootfs, type ImportOptions } from './rootfs-importer.js';
import { commitImage, type CommitImageRequest } from './image-committer.js';
import { bootstrapRootfs, type BootstrapKind } from './bootstrap/bootstrap-recipes.js';
import { allTagReferences, pullImage, type PullOptions, type PullResult } from './distribution/image-puller.js';
import { pushImage, type PushOptions, type PushResult } from './distribution/image-pusher.js';
import { recompressStoredImage } from './compression/image-recompressor.js';
import type { CompressionOptions } from './compression/layer-compression.js';
import { cleanupScratchDirs } from './compression/scratch-dir.js';

export interface ImageServiceOptions {
  runner?: ProcessRunner;
  clock?: Clock;
  /** Progress lines for long work (load, bootstrap). */
  onProgress?: (line: string) => void;
}

/** What `remove` and `prune` did, in Docker's shape. */
export type RemovedItem = { Untagged: string } | { Deleted: string };

/**
 * The node's images: load, save, import, bootstrap, tag, remove, prune, inspect. Composes the
 * content store, the metadata database and the overlay snapshotter on one state root. Several
 * processes may use the same state root at once.
 */
export class ImageService {
  readonly images: ImageStore;
  readonly content: ContentStore;
  readonly snapshotter: OverlaySnapshotter;
  /** load, import, save, tag, untag, delete (and pull/push where they happen). */
  readonly events = new ImageEvents();
  private readonly leases: LeaseManager;
  private readonly writer: ImageWriter;
  private readonly gc: GarbageCollector;
  private readonly runner: ProcessRunner;
  private readonly clock: Clock;
  private readonly unpackPool: UnpackPool;

  private constructor(
    readonly root: StateRoot,
    /** The node's metadata database (shared with the container engine). */
    readonly db: Database,
    private readonly options: ImageServiceOptions,
  ) {
    this.runner = options.runner ?? new ChildProcessRunner();
    this.clock = options.clock ?? systemClock;
    this.content = new ContentStore(root);
    this.leases = new LeaseManager(db, this.clock);
    this.images = new ImageStore(db, this.clock);
    this.unpackPool = new UnpackPool();
    this.snapshotter = new OverlaySnapshotter({ root, db, runner: this.runner, clock: this.clock, unpackPool: this.unpackPool });
    this.writer = new ImageWriter({
      content: this.content,
      snapshotter: this.snapshotter,
      images: this.images,
      onLayer: ({ diffId, index, total, cached }) => {
        options.onProgress?.(`${cached ? 'Layer already exists' : 'Unpacked layer'} ${index + 1}/${total} ${diffId.slice(7, 19)}`);
      },
    });
    this.gc = new GarbageCollector(root, db, this.content, this.leases);
  }

  /** Opens the state root (creating it), and cleans what crashed writers left behind. */
  static async open(rootPath: string, options: ImageServiceOptions = {}): Promise<ImageService> {
    const root = new StateRoot(rootPath);
    await mkdir(root.path, { recursive: true, mode: 0o711 });
    const service = new ImageService(root, Database.open(root.database), options);
    await service.sweepDeadWriters();
    return service;
  }

  /**
   * A writer that died (kill -9, power cut) leaves its lease, temp files and unreferenced blobs or
   * layers: drops the lease and the temp files, then collects what it had written. Ownership is
   * by owner tag (base/process-alive.ts), so a zombie or a reused pid keeps nothing alive. Safe
   * while other writers run (theirs are alive); berthd runs it at open and periodically.
   */
  async sweepDeadWriters(): Promise<void> {
    const deadWriters = this.leases.expire();
    await this.content.cleanupIngest();
    await this.snapshotter.cleanup();
    await cleanupScratchDirs(this.root.tmp);
    if (deadWriters > 0) await this.gc.collect();
  }

  async close(): Promise<void> {
    await this.unpackPool.close();
    this.db.close();
  }

  list(): ImageRecord[] {
    return this.images.list();
  }

  resolve(ref: string): ImageRecord {
    return this.images.resolve(ref);
  }

  async config(image: ImageRecord): Promise<ImageConfig> {
    return parseJson(imageConfigSchema, await this.content.readBytes(image.id), `image config ${image.id}`);
  }

  /** Layer directories of an image, bottom first. */
  layerDirs(config: ImageConfig): string[] {
    return chainIds(config.rootfs.diff_ids).map((key) => join(this.root.snapshots, String(this.snapshotter.stat(key).id), 'fs'));
  }

  layerSizes(config: ImageConfig): number[] {
    return chainIds(config.rootfs.diff_ids).map((key) => this.snapshotter.stat(key).size);
  }

  /** Runs `work` under a lease; on failure, collects what it wrote so the store is as it was. */
  private async withSession<T>(work: (session: LoadSession) => Promise<T>): Promise<T> {
    const session = new LoadSession(this.content, this.leases, this.snapshotter);
    let result: T;
    try {
      result = await work(session);
    } catch (err) {
      await session.close();
      await this.gc.collect();
      throw err;
    }
    await session.close();
    return result;
  }

  /** Loads the images of an archive; `options.repository` names OCI entries tagged only by a bare tag. */
  async load(input: LoadInput, options: OciLayoutOptions = {}): Promise<ImageRecord[]> {
    if (options.repository !== undefined) options = { ...options, repository: parseRepositoryOption(options.repository) };
    const loaded = await this.withSession((session) => loadImages(input, session, this.content, this.writer, options));
    for (const image of loaded) this.events.emit('load', image.id, image.names[0]);
    return loaded;
  }

  async import(tarball: AsyncIterable<Uint8Array>, options: ImportOptions): Promise<ImageRecord> {
    const image = await this.withSession((session) => importRootfs(tarball, options, { session, content: this.content, writer: this.writer, clock: this.clock }));
    this.events.emit('import', image.id, image.names[0]);
    return image;
  }

  /** Pulls an image from its registry (see distribution/image-puller.ts); a failed pull changes nothing. */
  async pull(reference: string, options: PullOptions = {}): Promise<PullResult> {
    const result = await this.withSession((session) => pullImage(reference, options, { session, content: this.content, writer: this.writer, images: this.images }));
    this.events.emit('pull', reference, reference);
    return result;
  }

  /** Pulls every tag of the reference's repository, one after the other (each as `pull`). */
  async pullAllTags(reference: string, options: PullOptions = {}): Promise<PullResult[]> {
    const results: PullResult[] = [];
    for (const tagged of await allTagReferences(reference, options)) results.push(await this.pull(tagged, options));
    return results;
  }

  /** Pushes a local image to the registry its name names (see distribution/image-pusher.ts). */
  async push(reference: string, options: PushOptions = {}): Promise<PushResult> {
    const result = await pushImage(reference, options, { content: this.content, images: this.images, runner: this.runner, tmp: this.root.tmp });
    // As Docker: the image is now known in that repository by the digest pushed.
    this.images.addRepoDigest(this.images.resolve(result.name).id, `${repositoryName(parseReference(result.name))}@${result.digest}`);
    this.events.emit('push', reference, reference);
    return result;
  }

  /**
   * Stores an image with its layers in `compression` (see compression/image-recompressor.ts): same
   * id and layers, a new manifest. Then collects the blobs only the old manifest kept.
   */
  async recompress(image: ImageRecord, compression: CompressionOptions, onLayer?: (event: { digest: string; done: boolean }) => void): Promise<ImageRecord> {
    const deps = { content: this.content, images: this.images, runner: this.runner, tmp: this.root.tmp, ...(onLayer !== undefined && { onLayer }) };
    const result = await this.withSession((session) => recompressStoredImage(image, compression, { ...deps, session }));
    if (result.manifestDigest !== image.manifestDigest) await this.gc.collect();
    return result;
  }

  /** A new image on another one: a layer from a snapshot's changes (optional), a config, a history entry. */
  commit(request: CommitImageRequest): Promise<ImageRecord> {
    return this.withSession((session) => commitImage(request, { session, content: this.content, writer: this.writer, clock: this.clock, snapshotter: this.snapshotter }));
  }

  /** Builds an image with no registry: `busybox` from the host's busybox-static, `debian:<suite>` with debootstrap. */
  async bootstrap(kind: BootstrapKind, name?: string): Promise<ImageRecord> {
    await mkdir(this.root.tmp, { recursive: true });
    const dir = await mkdtemp(join(this.root.tmp, `bootstrap-${ownerTag()}-`));
    try {
      const recipe = await bootstrapRootfs(kind, join(dir, 'rootfs'), this.runner, this.options.onProgress);
      const names = [formatReference(parseTaggedReference(name ?? recipe.defaultName))];
      this.options.onProgress?.('Importing root filesystem');
      return await this.import(diffDirectory(join(dir, 'rootfs'), { runner: this.runner }), { names, config: recipe.config, createdBy: recipe.createdBy });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Saves images; with `compression`, their layers are written in it (see image-saver.ts). */
  async save(refs: string[], format: SaveFormat, output: { path: string } | { stream: Writable }, compression?: CompressionOptions): Promise<void> {
    if (refs.length === 0) throw errors.invalidArgument('no-images', 'name at least one image to save');
    const items = new Map<Digest, SaveItem>();
    for (const ref of refs) {
      const image = this.images.resolve(ref);
      const item = items.get(image.id) ?? { image, names: [] };
      const name = normalizedName(ref);
      if (name !== undefined && image.names.includes(name) && !item.names.includes(name)) item.names.push(name);
      items.set(image.id, item);
    }
    const saveOptions = { content: this.content, tmp: this.root.tmp, runner: this.runner, ...(compression !== undefined && { compression }) };
    if (format === 'oci-dir') {
      if (!('path' in output)) throw errors.invalidArgument('output-needed', 'oci-dir needs an output directory (-o)');
      await saveDirectory([...items.values()], saveOptions, output.path);
    } else {
      const out = 'path' in output ? createWriteStream(output.path) : output.stream;
      await saveArchive([...items.values()], saveOptions, format, out);
    }
    for (const item of items.values()) this.events.emit('save', item.image.id, item.names[0]);
  }

  /** Gives image `source` the name `target`. */
  tag(source: string, target: string): ImageRecord {
    const image = this.images.resolve(source);
    const name = formatReference(parseTaggedReference(target));
    this.images.tag(image.id, name);
    this.events.emit('tag', image.id, name);
    return this.images.resolve(image.id);
  }

  /**
   * Removes names and images as `docker rmi` does: a name is untagged and the image deleted when
   * no name is left; an id deletes the image, which needs `force` when it has several names.
   */
  async remove(refs: string[], force = false): Promise<RemovedItem[]> {
    const removed: RemovedItem[] = [];
    const notes: ['untag' | 'delete', string, string | undefined][] = [];
    for (const ref of refs) {
      const image = this.images.resolve(ref);
      const normalized = normalizedName(ref);
      const byName = normalized !== undefined && image.names.includes(normalized) ? normalized : undefined;
      if (byName !== undefined && image.names.length > 1) {
        this.images.untag(byName);
        removed.push({ Untagged: byName });
        notes.push(['untag', image.id, byName]);
        continue;
      }
      if (byName === undefined && image.names.length > 1 && !force) {
        throw errors.conflict('image-has-names', `unable to delete ${image.id.slice(7, 19)} (must be forced): image is referenced in multiple repositories`);
      }
      const user = this.containerUsing(image.id);
      if (user !== undefined) {
        // As Docker: a container's image keeps existing; with force only its names go.
        if (!force) {
          throw errors.conflict('image-in-use', `conflict: unable to ${byName === undefined ? 'delete' : 'remove repository reference'} ${byName ?? image.id.slice(7, 19)} (must be forced) - container ${user.slice(0, 12)} is using its referenced image ${image.id.slice(7, 19)}`);
        }
        for (const name of byName === undefined ? image.names : [byName]) {
          this.images.untag(name);
          removed.push({ Untagged: name });
          notes.push(['untag', image.id, name]);
        }
        continue;
      }
      for (const name of image.names) {
        removed.push({ Untagged: name });
        notes.push(['untag', image.id, name]);
      }
      this.images.delete(image.id);
      removed.push({ Deleted: image.id });
      notes.push(['delete', image.id, undefined]);
    }
    await this.gc.collect();
    for (const [action, id, name] of notes) this.events.emit(action, id, name);
    return removed;
  }

  /** The id of a container created from this image, if any. */
  private containerUsing(imageId: string): string | undefined {
    const row = this.db.sqlite.prepare('SELECT id FROM containers WHERE image_id = ? LIMIT 1').get(imageId) as { id: string } | undefined;
    return row?.id;
  }

  /** Whether a build cache entry (build/build-cache.ts) points at this image. */
  isBuildCacheImage(imageId: string): boolean {
    return this.db.sqlite.prepare('SELECT 1 FROM build_cache WHERE image_id = ? LIMIT 1').get(imageId) !== undefined;
  }

  /** Deletes dangling images (no name), or with `all` every image no container uses, then collects. */
  async prune(all: boolean): Promise<{ removed: RemovedItem[]; spaceReclaimed: number }> {
    const removed: RemovedItem[] = [];
    for (const image of this.images.list()) {
      if (!all && image.names.length > 0) continue;
      if (this.containerUsing(image.id) !== undefined) continue;
      // A build step's result stays for the build cache (as Docker's intermediate images); `--all` removes it.
      if (!all && this.isBuildCacheImage(image.id)) continue;
      for (const name of image.names) removed.push({ Untagged: name });
      this.images.delete(image.id);
      removed.push({ Deleted: image.id });
      for (const name of image.names) this.events.emit('untag', image.id, name);
      this.events.emit('delete', image.id);
    }
    const collected = await this.gc.collect();
    this.events.emit('prune', '', undefined, { reclaimed: String(collected.bytesFreed) });
    return { removed, spaceReclaimed: collected.bytesFreed };
  }

  collectGarbage(): Promise<CollectResult> {
    return this.gc.collect();
  }

  /** Disk use: images (unique layer bytes), blobs in the content store. */
  async diskUsage(): Promise<{ images: ImageRecord[]; layersSize: number; blobsSize: number }> {
    const blobs = await this.content.list();
    const layersSize = this.snapshotter.list().filter((s) => s.kind === 'committed').reduce((sum, s) => sum + s.size, 0);
    return { images: this.images.list(), layersSize, blobsSize: blobs.reduce((sum, b) => sum + b.size, 0) };
  }
}

/** The normalized name `ref` stands for, or undefined when it is not a name (an id). */
function normalizedName(ref: string): string | undefined {
  if (ref.startsWith('sha256:')) return undefined;
  try {
    return formatReference(parseReference(ref));
  } catch {
    return undefined;
  }
}

/** A repository name for `load --name`: normalized, without a tag or digest. */
function parseRepositoryOption(text: string): string {
  let ref;
  try {
    ref = parseReference(text);
  } catch (cause) {
    throw errors.invalidArgument('invalid-repository', `--name: "${text}" is not a repository name`, { cause });
  }
  if (ref.digest !== undefined || /:[^/]*$/.test(text)) throw errors.invalidArgument('invalid-repository', `--name: "${text}" must be a repository without a tag or digest`);
  return repositoryName(ref);
}
