import { createWriteStream } from 'node:fs';
import { rm, mkdtemp, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { Clock } from '../base/clock.js';
import type { Digest } from '../base/digest.js';
import { errors } from '../base/errors.js';
import { ownerTag } from '../base/process-alive.js';
import type { ProcessRunner } from '../base/process-runner.js';
import type { StateRoot } from '../base/state-root.js';
import type { ContentStore } from '../store/content-store.js';
import type { Database } from '../store/database.js';
import type { LeaseManager } from '../store/leases.js';
import { parseJson } from '../oci/parse-json.js';
import { formatReference, parseReference, parseTaggedReference, repositoryName } from '../oci/reference.js';
import { imageConfigSchema, type ImageConfig } from '../oci/schemas.js';
import type { OverlaySnapshotter } from '../snapshots/overlay-snapshotter.js';
import { diffDirectory } from '../snapshots/layer-differ.js';
import { chainIds } from './chain-id.js';
import type { GarbageCollector, CollectResult } from './garbage-collector.js';
import { loadImages, type LoadInput } from './image-loader.js';
import type { OciLayoutOptions } from './archive/oci-layout-reader.js';
import type { ImageRecord } from './image-record.js';
import { saveArchive, saveDirectory, type SaveFormat, type SaveItem } from './image-saver.js';
import { ImageEvents } from './image-events.js';
import type { ImageStore } from './image-store.js';
import type { ImageReferences } from './image-references.js';
import type { ImageServiceParts } from './image-service-parts.js';
import { normalizedName, pruneImages, removeImages, type RemovalContext, type RemovedItem } from './image-removal.js';

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

export type { RemovedItem } from './image-removal.js';
export type { ImageServiceParts } from './image-service-parts.js';

/**
 * The node's images: load, save, import, bootstrap, tag, remove, prune, inspect. Composes the
 * content store, the metadata database and the overlay snapshotter on one state root. Several
 * processes may use the same state root at once. Made by daemon/image-node.ts (`openImageNode`).
 */
export class ImageService {
  readonly root: StateRoot;
  /** The node's metadata database (shared with the container engine). */
  readonly db: Database;
  readonly images: ImageStore;
  readonly content: ContentStore;
  readonly snapshotter: OverlaySnapshotter;
  /** Who else keeps images: the engine and the builder register here. */
  readonly references: ImageReferences;
  /** load, import, save, tag, untag, delete (and pull/push where they happen). */
  readonly events = new ImageEvents();
  private readonly leases: LeaseManager;
  private readonly writer: ImageWriter;
  private readonly gc: GarbageCollector;
  private readonly runner: ProcessRunner;
  private readonly clock: Clock;
  private readonly onProgress: ((line: string) => void) | undefined;
  private readonly release: (() => Promise<void>) | undefined;

  constructor(parts: ImageServiceParts) {
    ({ root: this.root, db: this.db, content: this.content, leases: this.leases, images: this.images, snapshotter: this.snapshotter } = parts);
    ({ gc: this.gc, references: this.references, runner: this.runner, clock: this.clock, onProgress: this.onProgress, release: this.release } = parts);
    this.writer = new ImageWriter({
      content: this.content,
      snapshotter: this.snapshotter,
      images: this.images,
      onLayer: ({ diffId, index, total, cached }) => {
        this.onProgress?.(`${cached ? 'Layer already exists' : 'Unpacked layer'} ${index + 1}/${total} ${diffId.slice(7, 19)}`);
      },
    });
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
    await this.release?.();
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
      const recipe = await bootstrapRootfs(kind, join(dir, 'rootfs'), this.runner, this.onProgress);
      const names = [formatReference(parseTaggedReference(name ?? recipe.defaultName))];
      this.onProgress?.('Importing root filesystem');
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
    return removeImages(this.removal(), refs, force);
  }

  /** Whether a build cache entry (build/build-cache.ts) points at this image. */
  isBuildCacheImage(imageId: string): boolean {
    return this.references.find('build-cache', imageId) !== undefined;
  }

  /**
   * Deletes those of these images that nothing keeps: no name, no container, no build cache
   * entry (the build cache's pruning, after it dropped its entries). Synchronous, one transaction
   * (part of the caller's when called inside one); no events, no collection.
   */
  deleteUnreferenced(ids: Iterable<Digest>): void {
    this.db.transaction(() => {
      for (const id of ids) {
        if (this.images.namesOf(id).length > 0 || this.references.isReferenced(id)) continue;
        this.images.delete(id);
      }
    });
  }

  private removal(): RemovalContext {
    return { images: this.images, references: this.references, gc: this.gc, events: this.events };
  }

  /** Deletes dangling images (no name), or with `all` every image no container uses, then collects. */
  async prune(all: boolean): Promise<{ removed: RemovedItem[]; spaceReclaimed: number }> {
    return pruneImages(this.removal(), all);
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
